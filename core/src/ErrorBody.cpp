#include "rockets/ErrorBody.h"

#include "JsonWriter.h"

namespace rockets {

std::string encodeError(std::string_view code, std::string_view message) {
    std::string out = "{\"error\":{";
    json::appendMember(out, "code", code);
    out += ',';
    json::appendMember(out, "message", message);
    out += "}}";
    return out;
}

}  // namespace rockets
