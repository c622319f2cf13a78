# Runs at install time (`cmake --install`, and cpack's staging install), from the
# install(CODE) of cmake/Packaging.cmake, which sets ROCKETS_SOURCE_DIR,
# ROCKETS_BINARY_DIR and ROCKETS_{BINDIR,SYSCONFDIR,LOCALSTATEDIR,DOCDIR,SYSTEMD_UNITDIR}.
# What it installs depends on the prefix of *this* install, not the one the tree
# was configured with: the installed configuration names the data folder of its
# own prefix, and the prefix /usr (a Debian package) gets /etc and /var
# (docs/decisions/2026-11-27-install-layout.md).

string(REGEX REPLACE "(.)/+$" "\\1" rockets_prefix "${CMAKE_INSTALL_PREFIX}")

# GNUInstallDirs' rule for CMAKE_INSTALL_FULL_<dir>, applied to this install's
# prefix; ROOT_FOR_USR: the special case of sysconfdir and localstatedir.
function(rockets_full_dir dir out)
  cmake_parse_arguments(D "ROOT_FOR_USR" "" "" ${ARGN})
  if(IS_ABSOLUTE "${dir}")
    set(full "${dir}")
  elseif(D_ROOT_FOR_USR AND rockets_prefix STREQUAL "/usr")
    set(full "/${dir}")
  else()
    set(full "${rockets_prefix}/${dir}")
  endif()
  set(${out} "${full}" PARENT_SCOPE)
endfunction()

rockets_full_dir("${ROCKETS_BINDIR}" bindir)
rockets_full_dir("${ROCKETS_DOCDIR}" docdir)
rockets_full_dir("${ROCKETS_SYSCONFDIR}" sysconfdir ROOT_FOR_USR)
rockets_full_dir("${ROCKETS_LOCALSTATEDIR}" localstatedir ROOT_FOR_USR)
set(confdir "${sysconfdir}/rockets")
set(statedir "${localstatedir}/lib/rockets")
string(MD5 stage_id "$ENV{DESTDIR}|${rockets_prefix}")
set(stage "${ROCKETS_BINARY_DIR}/packaging/${stage_id}")

# The configuration: config/rockets.properties with the data and the daemon log in
# the state folder of this prefix.
file(READ "${ROCKETS_SOURCE_DIR}/config/rockets.properties" text)
foreach(setting IN ITEMS "rockets.sqlite.path=${statedir}/rockets.db"
                         "rockets.daemon.logFile=${statedir}/rockets.log")
  string(REGEX MATCH "^[^=]+" key "${setting}")
  string(REGEX REPLACE "^[^=]+=" "" value "${setting}")
  string(REPLACE "." "\\." key_pattern "${key}")
  string(REGEX MATCHALL "\n${key_pattern} = [^\n]*" lines "${text}")
  list(LENGTH lines count)
  if(NOT count EQUAL 1)
    message(FATAL_ERROR "config/rockets.properties: expected one '${key} = ...' line, found ${count}")
  endif()
  string(REGEX REPLACE "\n${key_pattern} = [^\n]*" "\n${key} = ${value}" text "${text}")
endforeach()
file(WRITE "${stage}/rockets.properties" "${text}")

# An existing configuration is the operator's: keep it, and put the new default
# beside it for comparison (a Debian package marks it a conffile instead).
set(installed_config "$ENV{DESTDIR}${confdir}/rockets.properties")
if(EXISTS "${installed_config}")
  file(READ "${installed_config}" existing)
  if(NOT existing STREQUAL text)
    message(STATUS "Keeping: ${installed_config} (the new default: rockets.properties.default beside it)")
    file(INSTALL "${stage}/rockets.properties" DESTINATION "${confdir}" RENAME rockets.properties.default
         PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)
  endif()
else()
  file(INSTALL "${stage}/rockets.properties" DESTINATION "${confdir}"
       PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)
endif()

# The systemd unit: into systemd's folder for the prefix /usr (the package);
# elsewhere an example beside the documentation, whose server keeps its data in
# the unit's StateDirectory (the only place it may write) whatever the config says.
if(rockets_prefix STREQUAL "/usr")
  set(unit_dir "${ROCKETS_SYSTEMD_UNITDIR}")
  set(ROCKETS_UNIT_ARGS "")
else()
  set(unit_dir "${docdir}")
  set(ROCKETS_UNIT_ARGS " -D rockets.sqlite.path=%S/rockets/rockets.db")
endif()
set(ROCKETS_BINDIR "${bindir}")
set(ROCKETS_CONFDIR "${confdir}")
set(ROCKETS_DOCDIR "${docdir}")
configure_file("${ROCKETS_SOURCE_DIR}/packaging/rockets.service.in" "${stage}/rockets.service" @ONLY)
file(INSTALL "${stage}/rockets.service" DESTINATION "${unit_dir}"
     PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)

# The data folder exists before the first start (a --daemon opens its log there
# first); under systemd (prefix /usr) the unit's StateDirectory= creates it.
if(NOT rockets_prefix STREQUAL "/usr")
  file(MAKE_DIRECTORY "$ENV{DESTDIR}${statedir}")
endif()
