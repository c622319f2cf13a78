#include "rockets/sim/SendStats.h"

namespace rockets::sim {

double SendStats::throughput() const {
    const double seconds = std::chrono::duration<double>(elapsed).count();
    return seconds > 0 ? static_cast<double>(acked) / seconds : 0;
}

}  // namespace rockets::sim
