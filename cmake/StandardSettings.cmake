# Compile settings shared by every target, through one INTERFACE target that
# each target links PRIVATE. Nothing here sets global flags a parent project
# or the user would have to undo.

add_library(rockets_settings INTERFACE)
target_compile_features(rockets_settings INTERFACE cxx_std_20)
target_compile_options(rockets_settings INTERFACE -Wall -Wextra -Wpedantic -Wno-unused-parameter)
# GCC 12's libstdc++ makes -Wrestrict (part of -Wall) report a memcpy overlap of
# ~2^63 bytes inside std::string for `"literal" + str` and `str = "literal"` at -O2
# (GCC bug 105651, fixed in GCC 13): about twenty such warnings in a Release build
# hid any real one. Only for that compiler.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_GREATER_EQUAL 12
   AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  target_compile_options(rockets_settings INTERFACE -Wno-restrict)
endif()
# -std=c++20 rather than gnu++20, unless the user asks otherwise.
if(NOT DEFINED CMAKE_CXX_EXTENSIONS)
  set(CMAKE_CXX_EXTENSIONS OFF)
endif()

# ccache: only when wanted, installed, and no launcher is set already (by
# -DCMAKE_CXX_COMPILER_LAUNCHER=... or the environment variable of that name).
if(ROCKETS_USE_CCACHE AND NOT CMAKE_CXX_COMPILER_LAUNCHER)
  find_program(ROCKETS_CCACHE_PROGRAM ccache)
  if(ROCKETS_CCACHE_PROGRAM)
    set(CMAKE_CXX_COMPILER_LAUNCHER ${ROCKETS_CCACHE_PROGRAM})
  endif()
endif()

include(${CMAKE_CURRENT_LIST_DIR}/Sanitizers.cmake)

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
    INSTALL_RPATH "$ORIGIN/${ROCKETS_PLUGIN_TO_LIBDIR}")
  target_link_libraries(${name} PRIVATE rockets-core rockets_settings)
  install(TARGETS ${name} LIBRARY DESTINATION ${ROCKETS_INSTALL_PLUGINDIR})
endfunction()
