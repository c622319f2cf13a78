# Compile settings shared by every target, linked PRIVATE.
set(CMAKE_CXX_STANDARD 20)
set(CMAKE_CXX_STANDARD_REQUIRED ON)
set(CMAKE_CXX_EXTENSIONS OFF)
set(CMAKE_POSITION_INDEPENDENT_CODE ON)

find_program(CCACHE_PROGRAM ccache)
if(CCACHE_PROGRAM)
  set(CMAKE_CXX_COMPILER_LAUNCHER ${CCACHE_PROGRAM})
endif()

add_library(rockets_settings INTERFACE)
target_compile_options(rockets_settings INTERFACE -Wall -Wextra -Wpedantic -Wno-unused-parameter)

# Plugins: hidden visibility and $ORIGIN-relative lookup of librockets-core,
# identical in the build tree and after `cmake --install`.
function(rockets_add_plugin name)
  add_library(${name} MODULE ${ARGN})
  set_target_properties(${name} PROPERTIES
    PREFIX ""
    LIBRARY_OUTPUT_DIRECTORY ${ROCKETS_PLUGIN_DIR}
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON
    BUILD_RPATH "$ORIGIN/.."
    INSTALL_RPATH "$ORIGIN/..")
  target_link_libraries(${name} PRIVATE rockets-core rockets_settings)
  install(TARGETS ${name} LIBRARY DESTINATION lib/rockets)
endfunction()
