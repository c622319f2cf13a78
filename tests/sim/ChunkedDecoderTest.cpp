#include "rockets/sim/ChunkedDecoder.h"

#include <gtest/gtest.h>

#include <string>

using rockets::sim::ChunkedDecoder;

namespace {

/// "event: rocket\ndata: x\n\n" and ": heartbeat\n\n" in chunks, with an extension,
/// upper- and lower-case hex, the last chunk and a trailer.
const std::string kBody = "event: rocket\ndata: x\n\n: heartbeat\n\n";
const std::string kChunked =
    "17\r\nevent: rocket\ndata: x\n\n\r\n"
    "d;name=value\r\n: heartbeat\n\n\r\n"
    "0\r\nX-Trailer: yes\r\n\r\n";

}  // namespace

TEST(ChunkedDecoder, DecodesChunksExtensionsAndTrailers) {
    ChunkedDecoder decoder;
    std::string out;
    EXPECT_TRUE(decoder.feed(kChunked, out)) << decoder.error();
    EXPECT_EQ(out, kBody);
    EXPECT_TRUE(decoder.finished());
    EXPECT_TRUE(decoder.error().empty());
}

TEST(ChunkedDecoder, EveryCutIntoTwoPiecesDecodesTheSame) {
    for (std::size_t cut = 0; cut <= kChunked.size(); ++cut) {
        ChunkedDecoder decoder;
        std::string out;
        ASSERT_TRUE(decoder.feed(std::string_view(kChunked).substr(0, cut), out)) << cut << ": " << decoder.error();
        EXPECT_EQ(decoder.finished(), cut == kChunked.size()) << cut;
        ASSERT_TRUE(decoder.feed(std::string_view(kChunked).substr(cut), out)) << cut << ": " << decoder.error();
        EXPECT_EQ(out, kBody) << "cut at " << cut;
        EXPECT_TRUE(decoder.finished()) << cut;
    }
}

TEST(ChunkedDecoder, ByteByByteDecodesTheSame) {
    ChunkedDecoder decoder;
    std::string out;
    for (const char c : kChunked) ASSERT_TRUE(decoder.feed(std::string_view(&c, 1), out)) << decoder.error();
    EXPECT_EQ(out, kBody);
    EXPECT_TRUE(decoder.finished());
}

TEST(ChunkedDecoder, AcceptsBareLineFeedsAndUpperCaseHex) {
    ChunkedDecoder decoder;
    std::string out;
    EXPECT_TRUE(decoder.feed("A\n0123456789\n0\n\n", out)) << decoder.error();
    EXPECT_EQ(out, "0123456789");
    EXPECT_TRUE(decoder.finished());
}

TEST(ChunkedDecoder, IgnoresWhatFollowsTheLastChunk) {
    ChunkedDecoder decoder;
    std::string out;
    EXPECT_TRUE(decoder.feed("1\r\nx\r\n0\r\n\r\nHTTP/1.1 200 OK\r\n", out));
    EXPECT_EQ(out, "x");
}

TEST(ChunkedDecoder, ASizeThatIsNotHexFails) {
    ChunkedDecoder decoder;
    std::string out;
    EXPECT_FALSE(decoder.feed("zz\r\nabc\r\n", out));
    EXPECT_NE(decoder.error().find("chunk size 'zz' is not hexadecimal"), std::string::npos) << decoder.error();
    EXPECT_FALSE(decoder.feed("1\r\nx\r\n", out)) << "a failed decoder stays failed";
    EXPECT_EQ(out, "");
}

TEST(ChunkedDecoder, DataLongerThanItsSizeFails) {
    ChunkedDecoder decoder;
    std::string out;
    EXPECT_FALSE(decoder.feed("2\r\nabc\r\n", out));
    EXPECT_NE(decoder.error().find("longer than its size"), std::string::npos) << decoder.error();
}

TEST(ChunkedDecoder, AnEmptyOrOverflowingSizeFails) {
    ChunkedDecoder empty;
    std::string out;
    EXPECT_FALSE(empty.feed("\r\n", out));
    EXPECT_NE(empty.error().find("without a size"), std::string::npos) << empty.error();
    ChunkedDecoder huge;
    EXPECT_FALSE(huge.feed("1ffffffffffffffff\r\n", out));
    EXPECT_NE(huge.error().find("too large"), std::string::npos) << huge.error();
}

TEST(ChunkedDecoder, ASizeLineThatNeverEndsFails) {
    ChunkedDecoder decoder;
    std::string out;
    EXPECT_FALSE(decoder.feed(std::string(10000, '1'), out));
    EXPECT_NE(decoder.error().find("line longer than"), std::string::npos) << decoder.error();
}
