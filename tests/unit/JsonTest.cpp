#include "rockets/Json.h"

#include <gtest/gtest.h>

namespace rockets::test {

TEST(Json, Utf8Validation) {
    EXPECT_TRUE(isValidUtf8("plain ascii é ✓ 😀"));
    EXPECT_FALSE(isValidUtf8("\xc0\x80"));      // overlong NUL
    EXPECT_FALSE(isValidUtf8("\xed\xbf\xbf"));  // surrogate
    EXPECT_FALSE(isValidUtf8("\xf5\x80\x80\x80"));
    EXPECT_FALSE(isValidUtf8("\xe2\x82"));      // truncated
}

TEST(Json, StringsAreEscapedAndQuoted) {
    std::string out;
    appendJsonString(out, "a\"b\\c\n\r\t\x01\x7f é ✓ 😀");
    EXPECT_EQ(out, "\"a\\\"b\\\\c\\n\\r\\t\\u0001\x7f é ✓ 😀\"");
}

TEST(Json, InvalidUtf8BecomesReplacementCharacters) {
    std::string out;
    appendJsonString(out, "a\xff" "b\xc3" "c\xed\xa0\x80" "d\xe2\x82");
    EXPECT_EQ(out, "\"a\xEF\xBF\xBD" "b\xEF\xBF\xBD" "c\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD" "d\xEF\xBF\xBD\xEF\xBF\xBD\"");
    EXPECT_TRUE(isValidUtf8(out));
}

}  // namespace rockets::test
