#include "MetricsText.h"

#include <cmath>
#include <optional>
#include <cstdlib>
#include <set>
#include <sstream>
#include <stdexcept>
#include <vector>

namespace rockets::test {

namespace {

bool isNameStart(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':'; }
bool isNameChar(char c) { return isNameStart(c) || (c >= '0' && c <= '9'); }

bool isMetricName(const std::string& s) {
    if (s.empty() || !isNameStart(s[0])) return false;
    for (char c : s) {
        if (!isNameChar(c)) return false;
    }
    return true;
}

bool parseValue(const std::string& text, double& value) {
    if (text == "+Inf") value = INFINITY;
    else if (text == "-Inf") value = -INFINITY;
    else if (text == "NaN") value = NAN;
    else {
        if (text.empty()) return false;
        char* end = nullptr;
        value = std::strtod(text.c_str(), &end);
        if (end != text.c_str() + text.size()) return false;
        if (std::isnan(value) || std::isinf(value)) return false;  // only the spellings above
    }
    return true;
}

/// `name{a="x",b="y"} value`: false when malformed.
bool parseSample(const std::string& line, std::string& name, MetricsText::Labels& labels, std::string& value) {
    std::size_t i = 0;
    while (i < line.size() && isNameChar(line[i])) ++i;
    name = line.substr(0, i);
    if (!isMetricName(name)) return false;
    if (i < line.size() && line[i] == '{') {
        ++i;
        while (i < line.size() && line[i] != '}') {
            std::size_t start = i;
            while (i < line.size() && isNameChar(line[i])) ++i;
            const std::string label = line.substr(start, i - start);
            if (label.empty() || i + 1 >= line.size() || line[i] != '=' || line[i + 1] != '"') return false;
            i += 2;
            std::string text;
            while (i < line.size() && line[i] != '"') {
                if (line[i] == '\\') {
                    if (i + 1 >= line.size()) return false;
                    const char next = line[++i];
                    if (next == 'n') text += '\n';
                    else if (next == '\\' || next == '"') text += next;
                    else return false;
                } else {
                    text += line[i];
                }
                ++i;
            }
            if (i >= line.size()) return false;
            ++i;  // closing quote
            if (!labels.emplace(label, text).second) return false;
            if (i < line.size() && line[i] == ',') ++i;
            else if (i < line.size() && line[i] != '}') return false;
        }
        if (i >= line.size()) return false;
        ++i;  // '}'
    }
    if (i >= line.size() || line[i] != ' ') return false;
    value = line.substr(i + 1);
    return value.find(' ') == std::string::npos;  // no timestamps from this server
}

}  // namespace

std::string MetricsText::type(const std::string& family) const {
    auto it = types_.find(family);
    return it == types_.end() ? std::string() : it->second;
}

double MetricsText::value(const std::string& name, const Labels& labels) const {
    return samples_.at({name, labels}).value;
}

std::string MetricsText::text(const std::string& name, const Labels& labels) const {
    return samples_.at({name, labels}).text;
}

std::string MetricsText::parse(const std::string& text) {
    types_.clear();
    samples_.clear();
    if (text.empty() || text.back() != '\n') return "the text must end with a newline";
    std::set<std::string> helped;
    std::string family, familyType;
    bool typed = false;
    // Per histogram series (labels without le): buckets seen, in order.
    struct Series {
        std::vector<std::pair<double, double>> buckets;
        std::optional<double> sum, count;
    };
    std::map<std::pair<std::string, Labels>, Series> histograms;
    std::istringstream in(text);
    std::string line;
    int number = 0;
    auto error = [&](const std::string& what) { return "line " + std::to_string(number) + ": " + what + ": " + line; };
    while (std::getline(in, line)) {
        ++number;
        if (line.rfind("# HELP ", 0) == 0) {
            const std::string rest = line.substr(7);
            const std::string name = rest.substr(0, rest.find(' '));
            if (!isMetricName(name) || name.size() + 1 >= rest.size()) return error("malformed HELP");
            if (!helped.insert(name).second) return error("a second HELP for the family (its samples are split)");
            family = name;
            typed = false;
            continue;
        }
        if (line.rfind("# TYPE ", 0) == 0) {
            std::istringstream words(line.substr(7));
            std::string name, type, extra;
            words >> name >> type;
            if (words >> extra) return error("malformed TYPE");
            if (name != family || typed) return error("TYPE must follow the family's HELP");
            static const std::set<std::string> kTypes = {"counter", "gauge", "histogram", "summary", "untyped"};
            if (!kTypes.count(type)) return error("unknown type");
            if (type == "counter" && !name.ends_with("_total")) return error("a counter's name must end in _total");
            types_[name] = type;
            familyType = type;
            typed = true;
            continue;
        }
        if (line.empty() || line[0] == '#') return error("neither HELP, TYPE nor a sample");
        std::string name, valueText;
        Labels labels;
        if (!parseSample(line, name, labels, valueText)) return error("malformed sample");
        double value = 0;
        if (!parseValue(valueText, value)) return error("malformed value");
        if (!typed) return error("a sample before its family's HELP and TYPE");
        if (familyType == "histogram") {
            Labels series = labels;
            if (name == family + "_bucket") {
                auto le = series.find("le");
                if (le == series.end()) return error("a bucket without le");
                double bound = 0;
                if (!parseValue(le->second, bound)) return error("malformed le");
                series.erase(le);
                auto& buckets = histograms[{family, series}].buckets;
                if (!buckets.empty() && !(bound > buckets.back().first)) return error("le not increasing");
                if (!buckets.empty() && value < buckets.back().second) return error("buckets not cumulative");
                buckets.emplace_back(bound, value);
            } else if (name == family + "_sum") {
                histograms[{family, series}].sum = value;
            } else if (name == family + "_count") {
                histograms[{family, series}].count = value;
            } else {
                return error("not a sample of histogram " + family);
            }
        } else if (name != family) {
            return error("not a sample of family " + family);
        }
        if (!samples_.emplace(std::make_pair(name, labels), Sample{value, valueText}).second) {
            return error("a sample repeated");
        }
    }
    for (const auto& [key, series] : histograms) {
        const std::string where = "histogram " + key.first;
        if (series.buckets.empty() || !std::isinf(series.buckets.back().first)) return where + ": no +Inf bucket";
        if (!series.sum || !series.count) return where + ": _sum or _count missing";
        if (*series.count != series.buckets.back().second) return where + ": _count differs from the +Inf bucket";
    }
    return "";
}

}  // namespace rockets::test
