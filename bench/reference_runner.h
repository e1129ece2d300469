#pragma once

// Runs bench/reference/reference_models.py (numpy/scipy, Debian's python3-numpy python3-scipy) on
// split files a benchmark exported, in the same run, and collects its figures by model name.
#include <cstdio>
#include <filesystem>
#include <map>
#include <sstream>
#include <string>

namespace animerec::bench {

struct ReferenceFigure {
    double ndcg = 0.0, recall = 0.0, seconds = 0.0;
    int users = 0;
};

struct ReferenceRun {
    std::map<std::string, ReferenceFigure> figures;
    std::string command;
    std::string failure;  // empty when the script ran and printed every model
};

inline std::string shellQuoted(const std::string& text) {
    std::string quoted = "'";
    for (const char c : text) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return quoted + "'";
}

// `protocol` is "next" or "holdout" (see the script); `extra` more arguments, already quoted.
inline ReferenceRun runReferenceModels(const std::string& anime, const std::string& train,
                                       const std::string& test, const std::string& protocol,
                                       const std::string& models, const std::string& extra = {}) {
    ReferenceRun run;
    const std::string script =
        (std::filesystem::path(ANIMEREC_BENCH_DIR) / "reference" / "reference_models.py").string();
    run.command = "/usr/bin/python3 " + shellQuoted(script) + " --anime " + shellQuoted(anime) +
                  " --train " + shellQuoted(train) + " --test " + shellQuoted(test) +
                  " --protocol " + protocol + " --models " + models + " " + extra;
    FILE* pipe = popen((run.command + " 2>&1").c_str(), "r");
    if (!pipe) {
        run.failure = "cannot start " + run.command;
        return run;
    }
    std::string output;
    char buffer[4096];
    while (fgets(buffer, sizeof buffer, pipe)) output += buffer;
    const int status = pclose(pipe);
    std::istringstream lines(output);
    std::string line;
    while (std::getline(lines, line)) {
        std::istringstream words(line);
        std::string tag, name, ndcgKey, recallKey, usersKey, secondsKey;
        ReferenceFigure figure;
        if (words >> tag >> name >> ndcgKey >> figure.ndcg >> recallKey >> figure.recall >>
                usersKey >> figure.users >> secondsKey >> figure.seconds &&
            tag == "reference")
            run.figures[name] = figure;
    }
    if (status != 0) run.failure = "exit status " + std::to_string(status) + ": " + output;
    return run;
}

}  // namespace animerec::bench
