#include "rockets/Json.h"

#include <gtest/gtest.h>

namespace rockets::test {

TEST(Json, IntegersAndFloatsKeepTheirLexicalClass) {
    JsonValue v;
    std::string error;
    ASSERT_TRUE(parseJson("[0, -7, 9223372036854775807, -9223372036854775808, 9223372036854775808, 1.0, 1e3]", v, error));
    ASSERT_EQ(v.items.size(), 7u);
    EXPECT_EQ(v.items[0].kind, JsonValue::Kind::Integer);
    EXPECT_EQ(v.items[1].integer, -7);
    EXPECT_EQ(v.items[2].integer, INT64_MAX);
    EXPECT_FALSE(v.items[2].overflow);
    EXPECT_EQ(v.items[3].integer, INT64_MIN);
    EXPECT_FALSE(v.items[3].overflow);
    EXPECT_TRUE(v.items[4].overflow);
    EXPECT_EQ(v.items[5].kind, JsonValue::Kind::Float);
    EXPECT_EQ(v.items[6].kind, JsonValue::Kind::Float);
    EXPECT_DOUBLE_EQ(v.items[6].number, 1000.0);
}

TEST(Json, StringEscapesDecodeToUtf8) {
    JsonValue v;
    std::string error;
    ASSERT_TRUE(parseJson(R"("a\"b\\c\/d\b\f\n\r\t\u0041\u00e9\u20ac\ud83d\ude00")", v, error)) << error;
    EXPECT_EQ(v.string, "a\"b\\c/d\b\f\n\r\tAé€😀");
}

TEST(Json, ErrorsNameTheOffset) {
    JsonValue v;
    std::string error;
    EXPECT_FALSE(parseJson("{\"a\": x}", v, error));
    EXPECT_NE(error.find("byte 6"), std::string::npos) << error;
}

TEST(Json, Utf8Validation) {
    EXPECT_TRUE(isValidUtf8("plain ascii é ✓ 😀"));
    EXPECT_FALSE(isValidUtf8("\xc0\x80"));      // overlong NUL
    EXPECT_FALSE(isValidUtf8("\xed\xbf\xbf"));  // surrogate
    EXPECT_FALSE(isValidUtf8("\xf5\x80\x80\x80"));
    EXPECT_FALSE(isValidUtf8("\xe2\x82"));      // truncated
}

}  // namespace rockets::test
