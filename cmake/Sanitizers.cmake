# ROCKETS_SANITIZE=address|thread instruments every target through
# rockets_settings; ROCKETS_FUZZ adds libFuzzer's coverage instrumentation to
# the same code (and ASan + UBSan unless asked otherwise). Poco, GoogleTest and
# the C libraries stay uninstrumented (Debian builds): ASan and UBSan need
# nothing from them, TSan sees their locks through its pthread interceptors.

set(rockets_sanitize "${ROCKETS_SANITIZE}")
if(ROCKETS_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "ROCKETS_FUZZ needs clang (libFuzzer), e.g. -DCMAKE_CXX_COMPILER=clang++")
  endif()
  if(rockets_sanitize STREQUAL "")
    set(rockets_sanitize address)
  elseif(NOT rockets_sanitize STREQUAL "address")
    message(FATAL_ERROR "ROCKETS_FUZZ runs with ASan and UBSan, not with ROCKETS_SANITIZE=${rockets_sanitize}")
  endif()
endif()

if(rockets_sanitize STREQUAL "address")
  set(rockets_sanitizer_flags -fsanitize=address,undefined -fno-sanitize-recover=undefined)
elseif(rockets_sanitize STREQUAL "thread")
  set(rockets_sanitizer_flags -fsanitize=thread)
elseif(NOT rockets_sanitize STREQUAL "")
  message(FATAL_ERROR "ROCKETS_SANITIZE must be empty, 'address' or 'thread', not '${rockets_sanitize}'")
endif()

if(rockets_sanitizer_flags)
  target_compile_options(rockets_settings INTERFACE ${rockets_sanitizer_flags} -fno-omit-frame-pointer)
  target_link_options(rockets_settings INTERFACE ${rockets_sanitizer_flags})
  message(STATUS "rockets: sanitizers ${rockets_sanitize}")
endif()
if(ROCKETS_FUZZ)
  # Coverage instrumentation only; the fuzz targets link libFuzzer themselves.
  target_compile_options(rockets_settings INTERFACE -fsanitize=fuzzer-no-link)
endif()
