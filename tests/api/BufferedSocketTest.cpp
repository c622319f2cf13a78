#include "AcceptedPair.h"
#include "BufferedSocketImpl.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

namespace rockets::test {

using server::BufferedSocketImpl;
using namespace std::chrono_literals;

TEST(BufferedSocket, KnowsBothEndsAddressesAsTheKernelDoes) {
    AcceptedPair pair;
    // What a request's clientAddress() and serverAddress() ask for.
    EXPECT_EQ(pair.server.peerAddress().toString(), pair.client.address().toString());
    EXPECT_EQ(pair.server.address().toString(), pair.client.peerAddress().toString());
    // Asked again (the next request on the connection): the same.
    EXPECT_EQ(pair.server.peerAddress().toString(), pair.client.address().toString());
    EXPECT_EQ(pair.server.address().toString(), pair.client.peerAddress().toString());
}

TEST(BufferedSocket, FillTakesWhatHasArrivedAndThenSeesThePeerClose) {
    AcceptedPair pair;
    const std::string head = "GET /healthz HTTP/1.1\r\n";
    pair.client.sendBytes(head.data(), static_cast<int>(head.size()));
    ASSERT_TRUE(pair.readable(5s));
    EXPECT_EQ(pair.io->fill(1 << 20), BufferedSocketImpl::Fill::Open);
    EXPECT_EQ(pair.io->buffered(), head);
    // Nothing more has come: still open, nothing added, nothing blocked.
    EXPECT_EQ(pair.io->fill(1 << 20), BufferedSocketImpl::Fill::Open);
    EXPECT_EQ(pair.io->buffered(), head);

    const std::string rest = "Host: x\r\n\r\n";
    pair.client.sendBytes(rest.data(), static_cast<int>(rest.size()));
    pair.client.shutdownSend();
    ASSERT_TRUE(pair.readable(5s));
    BufferedSocketImpl::Fill fill = pair.io->fill(1 << 20);
    // The bytes first; the close with them or at the next fill (the socket stays
    // readable until it is seen).
    EXPECT_EQ(pair.io->buffered(), head + rest);
    if (fill == BufferedSocketImpl::Fill::Open) {
        ASSERT_TRUE(pair.readable(5s));
        fill = pair.io->fill(1 << 20);
    }
    EXPECT_EQ(fill, BufferedSocketImpl::Fill::PeerClosed);
    EXPECT_EQ(pair.io->buffered(), head + rest);
}

TEST(BufferedSocket, KeepsEveryByteInOrderAcrossReadChunksAndConsumedRequests) {
    AcceptedPair pair;
    // More than two of fill()'s 16 KiB read chunks, each byte telling its position.
    std::string sent(40 * 1024 + 123, '\0');
    for (std::size_t i = 0; i < sent.size(); ++i) sent[i] = static_cast<char>('a' + i % 23);
    pair.client.sendBytes(sent.data(), static_cast<int>(sent.size()));
    while (pair.io->buffered().size() < sent.size()) {
        ASSERT_TRUE(pair.readable(5s)) << pair.io->buffered().size() << " of " << sent.size() << " bytes arrived";
        ASSERT_EQ(pair.io->fill(1 << 20), BufferedSocketImpl::Fill::Open);
    }
    ASSERT_EQ(pair.io->buffered(), sent);

    // A first "request" of 20,000 bytes, read through Poco's entry point, then done:
    // the rest stays, moved to the front of the buffer (more than a chunk consumed).
    pair.io->beginRequest(20000, 1000ms, 1000ms);
    std::string read(20000, '\0');
    ASSERT_EQ(pair.io->receiveBytes(read.data(), static_cast<int>(read.size())), 20000);
    EXPECT_EQ(read, sent.substr(0, 20000));
    EXPECT_EQ(pair.io->receiveBytes(read.data(), 1), 0) << "reads end at the request's end";
    pair.io->endRequest();
    EXPECT_EQ(pair.io->buffered(), sent.substr(20000));

    // What comes next is appended after what was kept.
    const std::string more = "next";
    pair.client.sendBytes(more.data(), static_cast<int>(more.size()));
    ASSERT_TRUE(pair.readable(5s));
    EXPECT_EQ(pair.io->fill(1 << 20), BufferedSocketImpl::Fill::Open);
    EXPECT_EQ(pair.io->buffered(), sent.substr(20000) + more);
}

}  // namespace rockets::test
