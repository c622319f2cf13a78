#pragma once

#include "rockets/Export.h"
#include "rockets/Message.h"
#include "rockets/Rocket.h"

namespace rockets {

/// What applying one message did to a rocket.
enum class FoldOutcome {
    Changed,   ///< a field other than the version changed
    Ignored,   ///< the table of DESIGN §3 says "ignored" for this state
    Overflow,  ///< a speed change would overflow int64; ignored (callers log it)
};

/// Applies `message` (which must be number rocket.lastMessageNumber + 1) to `rocket`
/// per DESIGN §3. Always advances lastMessageNumber and updatedAt, whatever the outcome.
ROCKETS_CORE_API FoldOutcome apply(Rocket& rocket, const Message& message);

}  // namespace rockets
