#include "MemoryBackend.h"

namespace rockets::memory {

void MemoryBackend::open(const Poco::Util::AbstractConfiguration&) {}

std::string MemoryBackend::describe() const { return "memory (volatile: nothing survives a restart)"; }

}  // namespace rockets::memory
