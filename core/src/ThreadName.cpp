#include "rockets/ThreadName.h"

#include <pthread.h>

namespace rockets {

void nameThisThread(const std::string& name) {
    // The kernel's limit is 16 bytes with the terminator; longer names fail (ERANGE).
    constexpr std::size_t kMaxLength = 15;
    pthread_setname_np(pthread_self(), name.substr(0, kMaxLength).c_str());
}

}  // namespace rockets
