// Every key a script touches is one it declared in KEYS (issue 13.5): Redis only
// knows a script's keys from KEYS (ACLs, Cluster routing, key-space tooling), so a
// key computed inside a script is invisible to it. Watched with MONITOR, which logs
// each EVALSHA followed by the commands its script ran; Redis itself names the keys
// of each command (COMMAND GETKEYS).
#include "Messages.h"
#include "RedisStores.h"

#include <hiredis/hiredis.h>

#include <gtest/gtest.h>

#include <memory>
#include <set>

namespace rockets::test {

namespace {

using Context = std::unique_ptr<redisContext, decltype(&redisFree)>;
using Reply = std::unique_ptr<redisReply, decltype(&freeReplyObject)>;

Context connect(const RedisServer& server) {
    Context context(redisConnectUnix(server.socketPath().c_str()), &redisFree);
    if (!context || context->err) throw std::runtime_error("cannot connect to the test redis-server");
    return context;
}

Reply command(redisContext& context, const std::vector<std::string>& args) {
    std::vector<const char*> argv;
    std::vector<std::size_t> lengths;
    for (const auto& a : args) {
        argv.push_back(a.data());
        lengths.push_back(a.size());
    }
    auto* raw = redisCommandArgv(&context, static_cast<int>(argv.size()), argv.data(), lengths.data());
    if (!raw) throw std::runtime_error("redis command failed");
    return Reply(static_cast<redisReply*>(raw), &freeReplyObject);
}

/// One MONITOR line: where the command came from ("lua" for a script's commands) and
/// its arguments with Redis' quoting undone.
struct Monitored {
    std::string source;
    std::vector<std::string> args;
};

int hexDigit(char c) { return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10; }

Monitored parseLine(const std::string& line) {
    // 1700000000.123456 [0 lua] "ZADD" "key" "0" "a\x00b"
    Monitored m;
    const auto open = line.find('[');
    const auto close = line.find(']', open);
    const std::string where = line.substr(open + 1, close - open - 1);
    m.source = where.substr(where.find(' ') + 1);
    for (std::size_t i = close + 1; i < line.size(); ++i) {
        if (line[i] != '"') continue;
        std::string arg;
        for (++i; i < line.size() && line[i] != '"'; ++i) {
            if (line[i] != '\\') {
                arg += line[i];
                continue;
            }
            const char e = line[++i];
            switch (e) {
            case 'n': arg += '\n'; break;
            case 'r': arg += '\r'; break;
            case 't': arg += '\t'; break;
            case 'a': arg += '\a'; break;
            case 'b': arg += '\b'; break;
            case 'x':
                arg += static_cast<char>(hexDigit(line[i + 1]) * 16 + hexDigit(line[i + 2]));
                i += 2;
                break;
            default: arg += e;  // \\ and \"
            }
        }
        m.args.push_back(std::move(arg));
    }
    return m;
}

std::string upper(std::string s) {
    for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
}

}  // namespace

TEST(RedisScriptKeys, EveryKeyAScriptTouchesIsDeclaredInKeys) {
    RedisServer server;  // private: MONITOR sees only this test
    Context monitor = connect(server);
    ASSERT_EQ(command(*monitor, {"MONITOR"})->type, REDIS_REPLY_STATUS);

    // Every script, through every path: appends (stored, duplicate, conflict),
    // changedSince, writes that create, update, move between filter sets and hide a
    // rocket, and lists with and without filters.
    RedisStores stores(server, RedisStores::uniquePrefix("keys"));
    stores.open();
    ASSERT_EQ(stores.events().append(launched("k", 1)), AppendResult::Stored);
    ASSERT_EQ(stores.events().append(launched("k", 1)), AppendResult::Duplicate);
    ASSERT_EQ(stores.events().append(launched("k", 1, "Other")), AppendResult::Conflict);
    stores.events().changedSince(0);
    ASSERT_TRUE(stores.rockets().compareAndSet(rocket("k", 1), 0));
    ASSERT_TRUE(stores.rockets().compareAndSet(rocket("k", 2, "Saturn-V", 10, "APOLLO"), 1));
    ASSERT_TRUE(stores.rockets().compareAndSet(rocket("k", 3, "Saturn-V", 10, "APOLLO", RocketStatus::Exploded), 2));
    Rocket hidden;
    hidden.channel = "k";
    hidden.lastMessageNumber = 4;
    ASSERT_TRUE(stores.rockets().compareAndSet(hidden, 3));
    ASSERT_FALSE(stores.rockets().compareAndSet(rocket("k", 9), 1));
    ASSERT_EQ(stores.rockets().compareAndSetMany({{rocket("m", 1), 0}, {rocket("m2", 1, "X"), 0}}),
              (std::vector<bool>{true, true}));
    stores.rockets().list({});
    RocketQuery filtered;
    filtered.type = "X";
    filtered.status = RocketStatus::Active;
    filtered.sort = SortField::Speed;
    filtered.descending = true;
    stores.rockets().list(filtered);

    const std::string marker = "end-of-script-keys-test";
    server.command({"ECHO", marker});
    Context keys = connect(server);
    std::set<std::string> declared;
    std::size_t scripts = 0;
    std::size_t scriptCommands = 0;
    for (;;) {
        void* raw = nullptr;
        ASSERT_EQ(redisGetReply(monitor.get(), &raw), REDIS_OK);
        Reply line(static_cast<redisReply*>(raw), &freeReplyObject);
        const Monitored m = parseLine(std::string(line->str, line->len));
        if (m.args.empty()) continue;
        const std::string name = upper(m.args[0]);
        if (name == "ECHO" && m.args.size() == 2 && m.args[1] == marker) break;
        if (m.source != "lua") {
            declared.clear();
            if (name == "EVALSHA" || name == "EVAL") {
                ++scripts;
                const std::size_t count = std::stoul(m.args.at(2));
                declared.insert(m.args.begin() + 3, m.args.begin() + 3 + static_cast<std::ptrdiff_t>(count));
            }
            continue;
        }
        ++scriptCommands;
        std::vector<std::string> getkeys = {"COMMAND", "GETKEYS"};
        getkeys.insert(getkeys.end(), m.args.begin(), m.args.end());
        Reply touched = command(*keys, getkeys);
        if (touched->type == REDIS_REPLY_ERROR) continue;  // no key arguments (PUBLISH)
        ASSERT_EQ(touched->type, REDIS_REPLY_ARRAY);
        for (std::size_t i = 0; i < touched->elements; ++i) {
            const std::string key(touched->element[i]->str, touched->element[i]->len);
            EXPECT_TRUE(declared.contains(key)) << name << " in a script touches undeclared key " << key;
        }
    }
    EXPECT_GE(scripts, 15u) << "the scripts ran";
    EXPECT_GT(scriptCommands, scripts) << "and MONITOR showed what they did";
}

}  // namespace rockets::test
