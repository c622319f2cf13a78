// Operating the service: readiness and liveness, the /metrics exposition parsed
// strictly, HEAD and OPTIONS on every path, CORS, log lines that format their
// values and warnings that do not flood. In-process on port 0, memory backend
// behind a fault-injecting wrapper.
#include "InProcessServer.h"
#include "HttpClient.h"
#include "LogCapture.h"
#include "Messages.h"
#include "MetricsText.h"
#include "RawConnection.h"
#include "Service.h"
#include "Version.h"

#include "rockets/Codec.h"
#include "rockets/PluginLoader.h"
#include "rockets/Stores.h"

#include <Poco/JSON/Parser.h>
#include <Poco/String.h>
#include <Poco/Util/MapConfiguration.h>

#include <gtest/gtest.h>

#include <ctime>
#include <functional>

namespace rockets::test {

namespace {

using namespace std::chrono_literals;

Poco::JSON::Object::Ptr parseObject(const std::string& body) {
    return Poco::JSON::Parser().parse(body).extract<Poco::JSON::Object::Ptr>();
}

/// Every GET path of the API, with a query each accepts.
const std::vector<std::string> kGetTargets = {
    "/rockets?sort=speed",       "/rockets/ops-1", "/rockets/ops-1/messages?from=1", "/healthz", "/livez",
    "/metrics",                  "/openapi.json",  "/",                               "/index.html",
    "/assets/app.js",
};

class Ops : public ::testing::Test {
protected:
    void SetUp() override {
        start();
    }
    void TearDown() override { service_.reset(); }

    void start(const std::function<void(server::Settings&)>& tweak = {}) {
        service_.reset();
        service_ = startService(stores_, tweak);
    }

    int port() const { return service_->port(); }
    HttpResult get(const std::string& target, const std::map<std::string, std::string>& headers = {}) {
        return httpRequest(port(), "GET", target, "", headers);
    }
    HttpResult post(const Message& message) { return httpRequest(port(), "POST", "/messages", encodeMessage(message)); }
    void settle() { ASSERT_TRUE(service_->consumer().waitIdle(30s)); }

    FaultInjectingMemory memory_;
    Stores& stores_ = memory_.stores();
    FaultInjectingEventStore& events_ = memory_.events();
    std::unique_ptr<server::Service> service_;
};

}  // namespace

// --- readiness and liveness ----------------------------------------------------

TEST_F(Ops, HealthzNamesEachStoresPluginAndState) {
    const HttpResult r = get("/healthz");
    ASSERT_EQ(r.status, 200) << r.body;
    const auto body = parseObject(r.body);
    EXPECT_EQ(body->getValue<std::string>("status"), "ok");
    for (const char* role : {"events", "rockets"}) {
        const auto store = body->getObject("stores")->getObject(role);
        ASSERT_TRUE(store) << role << ": " << r.body;
        EXPECT_EQ(store->getValue<std::string>("plugin"), "memory");
        EXPECT_EQ(store->getValue<std::string>("status"), "ok");
        EXPECT_EQ(store->getValue<std::string>("detail"), "ok");
    }
}

TEST_F(Ops, AFailingAppendTurnsHealthz503WithItsCauseUntilAWriteSucceeds) {
    const std::string cause = "/var/lib/rockets/rockets.db: database or disk is full";
    events_.failWrites(cause);
    ASSERT_EQ(post(launched("full", 1)).status, 503);
    HttpResult r = get("/healthz");
    EXPECT_EQ(r.status, 503) << r.body;
    EXPECT_EQ(r.header("Retry-After"), "1");
    auto body = parseObject(r.body);
    EXPECT_EQ(body->getValue<std::string>("status"), "unavailable");
    auto events = body->getObject("stores")->getObject("events");
    EXPECT_EQ(events->getValue<std::string>("status"), "unavailable");
    EXPECT_NE(events->getValue<std::string>("detail").find(cause), std::string::npos) << r.body;
    EXPECT_EQ(get("/rockets").status, 200) << "reads still work while writes fail";

    events_.failWrites(std::nullopt);
    EXPECT_EQ(post(launched("full", 1)).status, 202);
    r = get("/healthz");
    EXPECT_EQ(r.status, 200) << r.body;
}

TEST_F(Ops, LivezAnswersWhileTheStoreIsDown) {
    events_.down = true;
    EXPECT_EQ(get("/healthz").status, 503);
    const HttpResult r = get("/livez");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, R"({"status":"ok"})");
}

// --- /metrics ------------------------------------------------------------------

TEST_F(Ops, MetricsParseStrictlyAndCarryEveryFamily) {
    ASSERT_EQ(post(launched("metrics", 1)).status, 202);
    ASSERT_EQ(post(launched("metrics", 1)).status, 200);
    settle();
    ASSERT_EQ(get("/rockets/metrics").status, 200);
    const HttpResult r = get("/metrics");
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r.header("Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
    MetricsText metrics;
    const std::string error = metrics.parse(r.body);
    ASSERT_EQ(error, "") << r.body;

    EXPECT_EQ(metrics.value("rockets_messages_total", {{"outcome", "accepted"}}), 1);
    EXPECT_EQ(metrics.value("rockets_messages_total", {{"outcome", "duplicate"}}), 1);
    EXPECT_EQ(metrics.type("rockets_unapplied_messages"), "gauge");
    EXPECT_EQ(metrics.value("rockets_unapplied_messages", {}), 0);
    EXPECT_EQ(metrics.value("rockets_messages_applied_total", {}), 1);
    EXPECT_FALSE(metrics.has("rockets_consumer_lag")) << "per-process, misleading: replaced by the gauge above";
    for (const char* reason : {"restart", "too_old", "behind", "feed_lost"}) {
        EXPECT_EQ(metrics.value("rockets_http_change_stream_resyncs_total", {{"reason", reason}}), 0) << reason;
    }
    EXPECT_EQ(metrics.value("rockets_build_info",
                            {{"version", std::string(server::version())}, {"revision", std::string(server::revision())}}),
              1);
    EXPECT_NE(server::revision(), "");
    for (const char* family : {"process_cpu_seconds_total", "process_resident_memory_bytes", "process_open_fds",
                               "process_max_fds", "process_threads", "process_start_time_seconds"}) {
        EXPECT_TRUE(metrics.has(family)) << family;
    }
    EXPECT_GT(metrics.value("process_resident_memory_bytes", {}), 1e6);
    EXPECT_GE(metrics.value("process_threads", {}), 3) << "the HTTP front, a worker, the consumer";
    EXPECT_GE(metrics.value("process_open_fds", {}), 3);
    // Full precision: seconds since 1970 with a fraction, never "1.79e+09".
    const std::string start = metrics.text("process_start_time_seconds", {});
    EXPECT_EQ(start.find('e'), std::string::npos) << start;
    EXPECT_NEAR(metrics.value("process_start_time_seconds", {}), static_cast<double>(std::time(nullptr)), 3600);

    const MetricsText::Labels append = {{"store", "events"}, {"backend", "memory"}, {"operation", "append"}};
    EXPECT_EQ(metrics.value("rockets_store_operation_duration_seconds_count", append), 2);
    EXPECT_GT(metrics.value("rockets_store_operation_duration_seconds_sum", append), 0);
    EXPECT_EQ(metrics.value("rockets_store_operation_failures_total", append), 0);
    EXPECT_GE(metrics.value("rockets_store_operation_duration_seconds_count",
                            {{"store", "rockets"}, {"backend", "memory"}, {"operation", "get"}}),
              1);
    EXPECT_GE(metrics.value("rockets_http_request_duration_seconds_count", {}), 3);
}

TEST_F(Ops, StoreFailuresAreCountedPerOperation) {
    events_.failWrites("test: read-only file");
    ASSERT_EQ(post(launched("ro", 1)).status, 503);
    MetricsText metrics;
    ASSERT_EQ(metrics.parse(get("/metrics").body), "");
    EXPECT_EQ(metrics.value("rockets_store_operation_failures_total",
                            {{"store", "events"}, {"backend", "memory"}, {"operation", "append"}}),
              1);
    EXPECT_EQ(metrics.value("rockets_messages_total", {{"outcome", "unavailable"}}), 1);
}

TEST(MetricsTextParser, RejectsWhatAStrictScraperRejects) {
    MetricsText m;
    EXPECT_NE(m.parse("x_total 1\n"), "") << "no HELP/TYPE";
    EXPECT_NE(m.parse("# HELP x_total X.\n# TYPE x_total counter\nx_total one\n"), "") << "not a number";
    EXPECT_NE(m.parse("# TYPE x_total counter\n# HELP x_total X.\nx_total 1\n"), "") << "TYPE before HELP";
    EXPECT_NE(m.parse("# HELP h H.\n# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"2\"} 1\n"
                      "h_bucket{le=\"+Inf\"} 2\nh_sum 1\nh_count 2\n"),
              "")
        << "buckets not cumulative";
    EXPECT_NE(m.parse("# HELP h H.\n# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_sum 1\nh_count 2\n"), "")
        << "no +Inf bucket";
    EXPECT_NE(m.parse("# HELP h H.\n# TYPE h histogram\nh_bucket{le=\"+Inf\"} 2\nh_sum 1\nh_count 3\n"), "")
        << "_count differs from the +Inf bucket";
    EXPECT_NE(m.parse("# HELP g G.\n# TYPE g gauge\ng 1\n# HELP f F.\n# TYPE f gauge\nf 1\ng 2\n"), "")
        << "a family's samples split";
    EXPECT_EQ(m.parse("# HELP h H.\n# TYPE h histogram\nh_bucket{a=\"x\",le=\"1\"} 1\nh_bucket{a=\"x\",le=\"+Inf\"} 2\n"
                      "h_sum{a=\"x\"} 1.5\nh_count{a=\"x\"} 2\n"),
              "");
}

// --- HEAD and OPTIONS ---------------------------------------------------------------

TEST_F(Ops, HeadIsGetWithoutTheBodyOnEveryGetPath) {
    ASSERT_EQ(post(launched("ops-1", 1)).status, 202);
    settle();
    for (const std::string& target : kGetTargets) {
        RawConnection c(port());
        // HEAD, then GET on the same connection: the GET's answer must come next, which
        // it only does if the HEAD answer carried no body.
        c.send("HEAD " + target + " HTTP/1.1\r\nHost: x\r\n\r\nGET " + target + " HTTP/1.1\r\nHost: x\r\n\r\n");
        const auto head = c.readResponse(5s);
        const auto full = c.readResponse();
        ASSERT_TRUE(head && full) << target;
        EXPECT_EQ(head->status, full->status) << target;
        EXPECT_EQ(head->header("content-type"), full->header("content-type")) << target;
        if (target != "/metrics" && target != "/healthz") {  // these two change between requests
            EXPECT_EQ(head->header("content-length"), full->header("content-length")) << target;
        }
        EXPECT_EQ(head->header("content-length").empty(), false) << target;
        EXPECT_FALSE(full->body.empty()) << target;
    }
}

TEST_F(Ops, HeadOnTheChangeStreamSendsItsHeadAndNoStream) {
    RawConnection c(port());
    c.send("HEAD /changes HTTP/1.1\r\nHost: x\r\n\r\n");
    const auto head = c.readResponse(5s);
    ASSERT_TRUE(head.has_value());
    EXPECT_EQ(head->status, 200);
    EXPECT_EQ(head->header("content-type"), "text/event-stream; charset=utf-8");
    std::string rest;
    EXPECT_TRUE(c.waitClosed(5s, &rest));
    EXPECT_EQ(rest, "") << "no stream after a HEAD";
    EXPECT_EQ(service_->streams().streams(), 0u);
}

TEST_F(Ops, OptionsAnswers204WithAllowOnEveryPath) {
    const std::map<std::string, std::string> allow = {
        {"/messages", "POST, OPTIONS"},           {"/rockets", "GET, HEAD, OPTIONS"},
        {"/rockets/x", "GET, HEAD, OPTIONS"},     {"/rockets/x/messages", "GET, HEAD, OPTIONS"},
        {"/changes", "GET, HEAD, OPTIONS"},       {"/healthz", "GET, HEAD, OPTIONS"},
        {"/livez", "GET, HEAD, OPTIONS"},         {"/metrics", "GET, HEAD, OPTIONS"},
        {"/openapi.json", "GET, HEAD, OPTIONS"},  {"/", "GET, HEAD, OPTIONS"}, {"/index.html", "GET, HEAD, OPTIONS"},
        {"/assets/app.css", "GET, HEAD, OPTIONS"},
    };
    for (const auto& [path, methods] : allow) {
        const HttpResult r = httpRequest(port(), "OPTIONS", path);
        EXPECT_EQ(r.status, 204) << path;
        EXPECT_EQ(r.header("Allow"), methods) << path;
        EXPECT_EQ(r.body, "") << path;
        EXPECT_EQ(r.header("Access-Control-Allow-Origin"), "") << "CORS is off by default";
    }
    EXPECT_EQ(httpRequest(port(), "OPTIONS", "/nowhere").status, 404);
}

TEST_F(Ops, OpenApiDocumentIsServed) {
    const HttpResult r = get("/openapi.json");
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r.header("Content-Type"), "application/json; charset=utf-8");
    const auto document = parseObject(r.body);
    EXPECT_EQ(document->getValue<std::string>("openapi"), "3.1.0");
    EXPECT_TRUE(document->getObject("paths")->has("/rockets/{channel}/messages"));
    const HttpResult again = get("/openapi.json", {{"If-None-Match", r.header("ETag")}});
    EXPECT_EQ(again.status, 304);
    EXPECT_EQ(again.body, "");
}

// --- CORS ---------------------------------------------------------------------

TEST_F(Ops, CorsIsOffByDefault) {
    const HttpResult r = get("/rockets", {{"Origin", "https://dashboard.example"}});
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.header("Access-Control-Allow-Origin"), "");
    EXPECT_EQ(r.header("Access-Control-Expose-Headers"), "");
}

TEST_F(Ops, CorsWithAnyOriginExposesTheTotalCount) {
    start([](server::Settings& s) { s.corsOrigins = {"*"}; });
    HttpResult r = get("/rockets", {{"Origin", "https://dashboard.example"}});
    EXPECT_EQ(r.header("Access-Control-Allow-Origin"), "*");
    EXPECT_NE(r.header("Access-Control-Expose-Headers").find("X-Total-Count"), std::string::npos);
    r = get("/rockets/none", {{"Origin", "https://dashboard.example"}});
    EXPECT_EQ(r.status, 404);
    EXPECT_EQ(r.header("Access-Control-Allow-Origin"), "*") << "error bodies are readable too";
    r = get("/rockets");
    EXPECT_EQ(r.header("Access-Control-Allow-Origin"), "") << "no Origin, no CORS headers";
}

TEST_F(Ops, CorsWithAListEchoesOnlyAListedOrigin) {
    start([](server::Settings& s) { s.corsOrigins = {"https://a.example", "http://b.example:8080"}; });
    HttpResult r = get("/rockets", {{"Origin", "http://b.example:8080"}});
    EXPECT_EQ(r.header("Access-Control-Allow-Origin"), "http://b.example:8080");
    EXPECT_EQ(r.header("Vary"), "Origin");
    r = get("/rockets", {{"Origin", "https://evil.example"}});
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.header("Access-Control-Allow-Origin"), "");
    EXPECT_EQ(r.header("Vary"), "Origin");
}

TEST_F(Ops, CorsPreflightIsAnswered) {
    start([](server::Settings& s) { s.corsOrigins = {"https://a.example"}; });
    const HttpResult r = httpRequest(port(), "OPTIONS", "/messages", "",
                                     {{"Origin", "https://a.example"},
                                      {"Access-Control-Request-Method", "POST"},
                                      {"Access-Control-Request-Headers", "content-type, authorization"}});
    EXPECT_EQ(r.status, 204);
    EXPECT_EQ(r.header("Access-Control-Allow-Origin"), "https://a.example");
    EXPECT_EQ(r.header("Access-Control-Allow-Methods"), "POST, OPTIONS");
    const std::string headers = Poco::toLower(r.header("Access-Control-Allow-Headers"));
    EXPECT_NE(headers.find("content-type"), std::string::npos);
    EXPECT_NE(headers.find("authorization"), std::string::npos);
    EXPECT_FALSE(r.header("Access-Control-Max-Age").empty());
    const HttpResult other = httpRequest(port(), "OPTIONS", "/messages", "",
                                         {{"Origin", "https://evil.example"}, {"Access-Control-Request-Method", "POST"}});
    EXPECT_EQ(other.status, 204);
    EXPECT_EQ(other.header("Access-Control-Allow-Methods"), "");
}

TEST(CorsSettings, OriginsAreReadAsAListAndValidated) {
    Poco::AutoPtr<Poco::Util::MapConfiguration> config(new Poco::Util::MapConfiguration);
    EXPECT_TRUE(server::Settings::fromConfig(*config, "/p").corsOrigins.empty());
    config->setString("rockets.http.corsOrigins", " https://a.example , http://b.example:8080 ");
    EXPECT_EQ(server::Settings::fromConfig(*config, "/p").corsOrigins,
              (std::vector<std::string>{"https://a.example", "http://b.example:8080"}));
    config->setString("rockets.http.corsOrigins", "*");
    EXPECT_EQ(server::Settings::fromConfig(*config, "/p").corsOrigins, (std::vector<std::string>{"*"}));
    for (const char* bad : {"a.example", "https://a.example/", "*, https://a.example"}) {
        config->setString("rockets.http.corsOrigins", bad);
        EXPECT_THROW(server::Settings::fromConfig(*config, "/p"), Poco::InvalidArgumentException) << bad;
    }
}

// --- log lines ------------------------------------------------------------------

TEST_F(Ops, ConflictWarningNamesTheMessageNumber) {
    LogCapture log("rockets.http");
    ASSERT_EQ(post(speedUp("conflicted", 42, 5)).status, 202);
    ASSERT_EQ(post(speedUp("conflicted", 42, 6)).status, 200);
    EXPECT_EQ(log.count("channel conflicted message 42 was already stored"), 1u) << ::testing::PrintToString(log.texts());
    EXPECT_EQ(log.count("[ERRFMT]"), 0u);
}

TEST_F(Ops, RepeatedStoreFailureWarningsAreThrottled) {
    LogCapture log("rockets.http");
    events_.failWrites("test: disk full");
    for (int i = 1; i <= 20; ++i) ASSERT_EQ(post(launched("flood-" + std::to_string(i), 1)).status, 503);
    EXPECT_EQ(log.count("append failed, answering 503: "), 1u) << ::testing::PrintToString(log.texts());
}

}  // namespace rockets::test
