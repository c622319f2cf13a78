# What `cmake --install` lays out beyond the binaries and plugins (their install()
# rules live with their targets), and the Debian package `cpack -G DEB` builds
# from it. Layout and lookup: docs/decisions/2026-11-27-install-layout.md.
#
#   <prefix>/bin/                    rockets-server, rockets-sim
#   <prefix>/lib/rockets/            the store plugins (librockets-core in <libdir>)
#   <sysconfdir>/rockets/            rockets.properties (/etc/rockets for the prefix /usr)
#   <localstatedir>/lib/rockets/     the data (/var/lib/rockets for /usr)
#   <prefix>/share/doc/rockets/      README.md, operations.md, openapi.json
#   /lib/systemd/system/rockets.service for the prefix /usr, else in share/doc/rockets/

set(ROCKETS_SYSTEMD_UNITDIR "/lib/systemd/system" CACHE PATH
  "Where the systemd unit goes when the install prefix is /usr (Debian 12: /lib/systemd/system)")
set(ROCKETS_PACKAGE_MAINTAINER "rockets maintainers <maintainers@rockets.invalid>" CACHE STRING
  "Maintainer field of the Debian package")

install(FILES README.md docs/operations.md docs/openapi.json DESTINATION ${CMAKE_INSTALL_DOCDIR})

# The configuration, the unit and the data folder depend on the prefix of each
# install (cmake --install --prefix, cpack), so they are decided at install time.
install(CODE "
  set(ROCKETS_SOURCE_DIR \"${PROJECT_SOURCE_DIR}\")
  set(ROCKETS_BINARY_DIR \"${PROJECT_BINARY_DIR}\")
  set(ROCKETS_BINDIR \"${CMAKE_INSTALL_BINDIR}\")
  set(ROCKETS_SYSCONFDIR \"${CMAKE_INSTALL_SYSCONFDIR}\")
  set(ROCKETS_LOCALSTATEDIR \"${CMAKE_INSTALL_LOCALSTATEDIR}\")
  set(ROCKETS_DOCDIR \"${CMAKE_INSTALL_DOCDIR}\")
  set(ROCKETS_SYSTEMD_UNITDIR \"${ROCKETS_SYSTEMD_UNITDIR}\")
  include(\"${PROJECT_SOURCE_DIR}/packaging/InstallLayout.cmake\")
")

# cpack -G DEB (from the build folder): rockets_<version>_<arch>.deb with the
# prefix /usr, whatever prefix the tree was configured with.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME rockets)
set(CPACK_PACKAGE_VENDOR rockets)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "rocket telemetry service: ordered ingestion over HTTP, state over REST")
string(CONCAT CPACK_PACKAGE_DESCRIPTION
  "rockets-server ingests rocket telemetry on POST /messages, applies each rocket's messages strictly in "
  "messageNumber order and serves the state on GET /rockets (store backends: memory, sqlite, redis). "
  "It runs as the systemd service rockets.service; rockets-sim drives and verifies it.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${ROCKETS_PACKAGE_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_SECTION net)
# Depends from the binaries' and plugins' libraries (dpkg-shlibdeps, from dpkg-dev).
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# dpkg keeps an operator's edits of the configuration across upgrades.
file(WRITE ${PROJECT_BINARY_DIR}/packaging/conffiles "/etc/rockets/rockets.properties\n")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA ${PROJECT_BINARY_DIR}/packaging/conffiles)
# The build tree keeps its debug information; the package does not.
set(CPACK_STRIP_FILES ON)
include(CPack)
