#include "ProcessMetrics.h"

#include <dirent.h>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/resource.h>
#include <unistd.h>
#include <vector>

namespace rockets::server {

namespace {

/// Fields of /proc/self/stat after the command name (which may hold spaces and
/// parentheses, so it is skipped up to its last ')'); fields[0] is field 3 (state).
std::optional<std::vector<std::string>> statFields() {
    std::ifstream in("/proc/self/stat");
    std::string text;
    if (!std::getline(in, text)) return std::nullopt;
    const auto close = text.rfind(')');
    if (close == std::string::npos) return std::nullopt;
    std::istringstream rest(text.substr(close + 1));
    std::vector<std::string> fields;
    for (std::string field; rest >> field;) fields.push_back(field);
    if (fields.size() < 22) return std::nullopt;
    return fields;
}

/// Boot time, seconds since the epoch (the btime line of /proc/stat).
std::optional<double> bootTime() {
    std::ifstream in("/proc/stat");
    for (std::string line; std::getline(in, line);) {
        if (line.rfind("btime ", 0) == 0) return std::stod(line.substr(6));
    }
    return std::nullopt;
}

double countOpenFds() {
    DIR* dir = ::opendir("/proc/self/fd");
    if (dir == nullptr) return 0;
    double count = 0;
    while (const dirent* entry = ::readdir(dir)) {
        if (entry->d_name[0] != '.') ++count;
    }
    ::closedir(dir);
    return count - 1;  // the directory stream's own descriptor
}

}  // namespace

std::optional<ProcessSample> sampleProcess() {
    const auto fields = statFields();
    if (!fields) return std::nullopt;
    const double ticks = static_cast<double>(::sysconf(_SC_CLK_TCK));
    const double pageSize = static_cast<double>(::sysconf(_SC_PAGESIZE));
    // proc(5) field numbers: utime 14, stime 15, num_threads 20, starttime 22, vsize 23, rss 24.
    auto field = [&](int number) { return std::stod((*fields)[static_cast<std::size_t>(number - 3)]); };
    ProcessSample sample;
    sample.cpuSeconds = (field(14) + field(15)) / ticks;
    sample.threads = field(20);
    sample.virtualBytes = field(23);
    sample.residentBytes = field(24) * pageSize;
    if (const auto boot = bootTime()) sample.startTimeSeconds = *boot + field(22) / ticks;
    sample.openFds = countOpenFds();
    rlimit files{};
    if (::getrlimit(RLIMIT_NOFILE, &files) == 0) sample.maxFds = static_cast<double>(files.rlim_cur);
    return sample;
}

}  // namespace rockets::server
