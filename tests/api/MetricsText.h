#pragma once

#include <map>
#include <string>

namespace rockets::test {

/// A strict reader of the Prometheus text exposition format 0.0.4, for tests: every
/// line is `# HELP`, `# TYPE` or a sample; every family has HELP then TYPE before its
/// samples, and its samples are not split; counters end in `_total`; histogram
/// buckets are in increasing `le` order, cumulative, end with `+Inf`, and come with
/// `_sum` and a `_count` equal to the `+Inf` bucket.
class MetricsText {
public:
    using Labels = std::map<std::string, std::string>;

    /// Parses `text`; "" when it is well-formed, else what is wrong (and where).
    std::string parse(const std::string& text);

    bool has(const std::string& family) const { return types_.count(family) > 0; }
    std::string type(const std::string& family) const;
    /// A sample's value; throws std::out_of_range when there is no such sample.
    double value(const std::string& name, const Labels& labels) const;
    /// A sample's value as written.
    std::string text(const std::string& name, const Labels& labels) const;

private:
    struct Sample {
        double value = 0;
        std::string text;
    };
    std::map<std::string, std::string> types_;
    std::map<std::pair<std::string, Labels>, Sample> samples_;
};

}  // namespace rockets::test
