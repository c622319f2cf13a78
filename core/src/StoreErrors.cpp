#include "rockets/StoreErrors.h"

#include <typeinfo>

namespace rockets {

POCO_IMPLEMENT_EXCEPTION(StoreUnavailableException, Poco::IOException, "Store unavailable")
POCO_IMPLEMENT_EXCEPTION(StoreCorruptException, Poco::DataException, "Store data unusable")

}  // namespace rockets
