# The store plugins: the one list of names, which of them to build, and where
# they go. Each plugin's CMakeLists.txt looks up its own dependencies (SQLite
# for sqlite, hiredis for redis), so a plugin left out needs nothing installed.

set(ROCKETS_ALL_PLUGINS memory sqlite redis)
set(ROCKETS_PLUGINS "${ROCKETS_ALL_PLUGINS}" CACHE STRING
  "Store plugins to build, a subset of: ${ROCKETS_ALL_PLUGINS}")

foreach(plugin IN LISTS ROCKETS_PLUGINS)
  if(NOT plugin IN_LIST ROCKETS_ALL_PLUGINS)
    message(FATAL_ERROR "ROCKETS_PLUGINS: unknown plugin '${plugin}' (known: ${ROCKETS_ALL_PLUGINS})")
  endif()
endforeach()
if(ROCKETS_BUILD_TESTS AND NOT "memory" IN_LIST ROCKETS_PLUGINS)
  message(FATAL_ERROR "ROCKETS_BUILD_TESTS needs the memory plugin (the unit and API tests run on it); "
                      "add it to ROCKETS_PLUGINS or set ROCKETS_BUILD_TESTS=OFF")
endif()
message(STATUS "rockets: store plugins ${ROCKETS_PLUGINS}")

# Targets of the plugins being built, for whatever loads them at run time.
set(ROCKETS_PLUGIN_TARGETS "")
foreach(plugin IN LISTS ROCKETS_PLUGINS)
  list(APPEND ROCKETS_PLUGIN_TARGETS rockets-store-${plugin})
endforeach()

# The server looks for plugins in ../lib/rockets from its executable (DESIGN
# §4), so they install there whatever CMAKE_INSTALL_LIBDIR is.
set(ROCKETS_INSTALL_PLUGINDIR "lib/rockets" CACHE PATH
  "Plugin install folder, relative to the prefix (the server's default is ../lib/rockets from bin/)")
file(RELATIVE_PATH ROCKETS_PLUGIN_TO_LIBDIR
  "${CMAKE_INSTALL_PREFIX}/${ROCKETS_INSTALL_PLUGINDIR}" "${CMAKE_INSTALL_FULL_LIBDIR}")
file(RELATIVE_PATH ROCKETS_BIN_TO_LIBDIR "${CMAKE_INSTALL_FULL_BINDIR}" "${CMAKE_INSTALL_FULL_LIBDIR}")

# rockets_plugin_class_name(<plugin> <var>): "sqlite" -> "Sqlite", the prefix of
# a plugin's per-backend test files (SqliteConformance.cpp).
function(rockets_plugin_class_name plugin var)
  string(SUBSTRING "${plugin}" 0 1 first)
  string(SUBSTRING "${plugin}" 1 -1 rest)
  string(TOUPPER "${first}" first)
  set(${var} "${first}${rest}" PARENT_SCOPE)
endfunction()
