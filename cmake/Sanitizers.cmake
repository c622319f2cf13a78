# ROCKETS_SANITIZE=address|thread instruments every target through
# rockets_settings; ROCKETS_FUZZ adds libFuzzer's coverage instrumentation to
# the same code. Poco, GoogleTest and the C libraries stay uninstrumented
# (Debian builds): ASan and UBSan need nothing from them, TSan sees their locks
# through its pthread interceptors.

if(ROCKETS_SANITIZE STREQUAL "address")
  set(ROCKETS_SANITIZER_FLAGS -fsanitize=address,undefined -fno-sanitize-recover=undefined)
elseif(ROCKETS_SANITIZE STREQUAL "thread")
  set(ROCKETS_SANITIZER_FLAGS -fsanitize=thread)
elseif(NOT ROCKETS_SANITIZE STREQUAL "")
  message(FATAL_ERROR "ROCKETS_SANITIZE must be empty, 'address' or 'thread', not '${ROCKETS_SANITIZE}'")
endif()

if(ROCKETS_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "ROCKETS_FUZZ needs clang (libFuzzer), e.g. -DCMAKE_CXX_COMPILER=clang++")
  endif()
  if(ROCKETS_SANITIZE STREQUAL "thread")
    message(FATAL_ERROR "ROCKETS_FUZZ runs with ASan and UBSan; it does not combine with ROCKETS_SANITIZE=thread")
  endif()
  if(ROCKETS_SANITIZE STREQUAL "")
    set(ROCKETS_SANITIZE address)
    set(ROCKETS_SANITIZER_FLAGS -fsanitize=address,undefined -fno-sanitize-recover=undefined)
  endif()
  list(APPEND ROCKETS_SANITIZER_FLAGS -fsanitize=fuzzer-no-link)
endif()

if(ROCKETS_SANITIZER_FLAGS)
  target_compile_options(rockets_settings INTERFACE ${ROCKETS_SANITIZER_FLAGS} -fno-omit-frame-pointer)
  # fuzzer-no-link only instruments; the fuzz targets link libFuzzer themselves.
  list(REMOVE_ITEM ROCKETS_SANITIZER_FLAGS -fsanitize=fuzzer-no-link)
  target_link_options(rockets_settings INTERFACE ${ROCKETS_SANITIZER_FLAGS})
  message(STATUS "rockets: sanitizers ${ROCKETS_SANITIZE}")
endif()
