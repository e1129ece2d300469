#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace animerec {

// "recall" + 10 -> "recall@10": the key format of every per-K metric in reports and the database.
std::string metricKey(const std::string& metric, int k);

// One model's offline evaluation.
struct ModelReport {
    std::string model;
    // Mean over evaluated users, keyed "metric@K" (precision, recall, ndcg, map, mrr, hitrate,
    // novelty, diversity, popularity, coverage), "<key>_ci_low"/"<key>_ci_high" for bootstrap
    // bounds of the headline metrics, and "rmse"/"mae" for rating predictors.
    std::map<std::string, double> metrics;
    std::vector<double> recallCurve;  // mean Recall@k for k = 1..size()
    std::vector<double> ndcgCurve;    // mean NDCG@k for k = 1..size()
    int evaluatedUsers = 0;
    // Hyper-parameters the model was trained with when they were chosen or given (e.g. by
    // `evaluate --tune`); empty = the family defaults.
    std::map<std::string, double> parameters;
    double trainSeconds = 0.0;
    double evalSeconds = 0.0;
    // Per-user values, row-major: one row per evaluated user (ascending dense index), one column
    // per name in perUserColumns ("recall@10", ...). For paired comparisons and distributions.
    std::vector<std::string> perUserColumns;
    std::vector<float> perUserValues;
};

// Everything one `evaluate` run produced: the protocol and each model's results.
struct EvaluationReport {
    std::vector<std::pair<std::string, std::string>> protocol;  // in a stable order
    std::vector<int> ks;
    std::vector<ModelReport> models;

    // {"protocol": {...}, "ks": [...], "models": {"<name>": {"recall@10": x, ...,
    // "train_seconds": t, "eval_seconds": e, "users": n, "parameters": {...} (when set),
    // "curves": {"recall": [...], "ndcg": [...]}}}}. Protocol values that parse as numbers are
    // written as numbers; NaN and infinities become null. Per-user values are not included.
    std::string toJson() const;

    // A fixed-width table with one row per model and the metrics at cut-off k (with 95% CIs
    // where present), then one "parameters" line per model that has them; ready for a terminal.
    std::string formatTable(int k) const;
};

}  // namespace animerec
