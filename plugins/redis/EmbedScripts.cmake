# Writes a C++ header holding the plugin's Lua scripts, so they are compiled into
# the plugin and never looked up at run time. Run by CMakeLists.txt at build time:
#   cmake -DOUTPUT=<header> -DSCRIPTS=<a.lua;b.lua> -P EmbedScripts.cmake
# scripts/compare_and_set.lua becomes
#   inline constexpr std::string_view kCompareAndSetScript = R"lua(...)lua";
if(NOT OUTPUT OR NOT SCRIPTS)
  message(FATAL_ERROR "EmbedScripts.cmake needs OUTPUT and SCRIPTS")
endif()

set(header "// Generated from plugins/redis/scripts/*.lua by EmbedScripts.cmake. Do not edit.\n")
string(APPEND header "#pragma once\n\n#include <string_view>\n\nnamespace rockets::redis::scripts {\n")
foreach(script ${SCRIPTS})
  get_filename_component(stem ${script} NAME_WE)
  string(REPLACE "_" ";" words ${stem})
  set(name "k")
  foreach(word ${words})
    string(SUBSTRING ${word} 0 1 first)
    string(SUBSTRING ${word} 1 -1 rest)
    string(TOUPPER ${first} first)
    string(APPEND name "${first}${rest}")
  endforeach()
  file(READ ${script} source)
  string(FIND "${source}" ")lua\"" clash)
  if(NOT clash EQUAL -1)
    message(FATAL_ERROR "${script} contains the raw string delimiter )lua\"")
  endif()
  string(APPEND header "\n/// ${stem}.lua\ninline constexpr std::string_view ${name}Script = R\"lua(${source})lua\";\n")
endforeach()
string(APPEND header "\n}  // namespace rockets::redis::scripts\n")

# Rewrite only on change, so dependent objects are not rebuilt for nothing.
if(EXISTS ${OUTPUT})
  file(READ ${OUTPUT} previous)
  if(previous STREQUAL header)
    return()
  endif()
endif()
file(WRITE ${OUTPUT} "${header}")
