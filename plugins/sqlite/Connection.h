#pragma once

#include "PreparedStatement.h"

#include <Poco/Data/Session.h>

#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

namespace rockets::sqlite {

/// An open Poco::Data session, the ConnectionGeneration it was opened in, and the
/// statements prepared on it. The statements are finalized before the session
/// closes, so destroying a Connection really closes the file.
class Connection {
public:
    Connection(std::unique_ptr<Poco::Data::Session> session, std::uint64_t generation)
        : session_(std::move(session)), generation_(generation) {}
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    Poco::Data::Session& session() { return *session_; }
    std::uint64_t generation() const { return generation_; }

    /// The statement for `sql`, prepared on first use and kept. `sql` must be a
    /// constant with static storage: it is looked up by address.
    PreparedStatement& prepared(const char* sql);

private:
    std::unique_ptr<Poco::Data::Session> session_;
    std::uint64_t generation_;
    /// Declared after session_, so destroyed (finalized) before it closes.
    std::vector<std::pair<const char*, std::unique_ptr<PreparedStatement>>> statements_;
};

}  // namespace rockets::sqlite
