#pragma once

// The JSON codec of DESIGN §2 in one include: message bodies (parse, validate,
// encode), API rockets, RFC 3339 times, error bodies and JSON strings. Each part
// has its own header; include those where only one is needed.

#include "rockets/ErrorBody.h"
#include "rockets/Json.h"
#include "rockets/MessageCodec.h"
#include "rockets/Rfc3339.h"
#include "rockets/RocketCodec.h"
