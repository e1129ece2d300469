#include "eval/evaluation_report.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <sstream>

namespace animerec {

std::string metricKey(const std::string& metric, int k) { return metric + "@" + std::to_string(k); }

namespace {

std::string jsonString(const std::string& text) {
    std::string out = "\"";
    for (const unsigned char c : text) {
        switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                out += "\\r";
                break;
            case '\t':
                out += "\\t";
                break;
            default:
                if (c < 0x20) {
                    char buffer[8];
                    std::snprintf(buffer, sizeof buffer, "\\u%04x", c);
                    out += buffer;
                } else {
                    out += static_cast<char>(c);
                }
        }
    }
    return out + "\"";
}

std::string jsonNumber(double value) {
    if (!std::isfinite(value)) return "null";
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.10g", value);
    return buffer;
}

// Protocol values are strings in memory; numbers go out as JSON numbers so scripts can use them.
std::string jsonValue(const std::string& text) {
    if (!text.empty()) {
        char* end = nullptr;
        const double value = std::strtod(text.c_str(), &end);
        if (end == text.c_str() + text.size() && std::isfinite(value)) return jsonNumber(value);
    }
    return jsonString(text);
}

std::string jsonArray(const std::vector<double>& values) {
    std::string out = "[";
    for (std::size_t i = 0; i < values.size(); ++i) out += (i ? ", " : "") + jsonNumber(values[i]);
    return out + "]";
}

}  // namespace

std::string EvaluationReport::toJson() const {
    std::ostringstream out;
    out << "{\n  \"protocol\": {";
    for (std::size_t i = 0; i < protocol.size(); ++i)
        out << (i ? ", " : "") << jsonString(protocol[i].first) << ": "
            << jsonValue(protocol[i].second);
    out << "},\n  \"ks\": [";
    for (std::size_t i = 0; i < ks.size(); ++i) out << (i ? ", " : "") << ks[i];
    out << "],\n  \"models\": {";
    for (std::size_t m = 0; m < models.size(); ++m) {
        const auto& model = models[m];
        out << (m ? "," : "") << "\n    " << jsonString(model.model) << ": {";
        for (const auto& [key, value] : model.metrics)
            out << "\n      " << jsonString(key) << ": " << jsonNumber(value) << ",";
        out << "\n      \"train_seconds\": " << jsonNumber(model.trainSeconds) << ","
            << "\n      \"eval_seconds\": " << jsonNumber(model.evalSeconds) << ","
            << "\n      \"users\": " << model.evaluatedUsers << ",";
        if (!model.parameters.empty()) {
            out << "\n      \"parameters\": {";
            bool first = true;
            for (const auto& [name, value] : model.parameters) {
                out << (first ? "" : ", ") << jsonString(name) << ": " << jsonNumber(value);
                first = false;
            }
            out << "},";
        }
        out << "\n      \"curves\": {\"recall\": " << jsonArray(model.recallCurve)
            << ", \"ndcg\": " << jsonArray(model.ndcgCurve) << "}\n    }";
    }
    out << "\n  }\n}\n";
    return out.str();
}

std::string EvaluationReport::formatTable(int k) const {
    struct Column {
        const char* metric;
        const char* header;
        bool interval;
    };
    static const Column columns[] = {
        {"recall", "Recall", true},   {"ndcg", "NDCG", true},        {"hitrate", "HitRate", true},
        {"precision", "Prec", false}, {"map", "MAP", false},         {"mrr", "MRR", false},
        {"coverage", "Cover", false}, {"novelty", "Novelty", false}, {"diversity", "ILD", false},
    };
    std::ostringstream out;
    char cell[64];
    std::snprintf(cell, sizeof cell, "%-12s", "model");
    out << cell;
    for (const auto& column : columns) {
        const std::string header = std::string(column.header) + "@" + std::to_string(k);
        std::snprintf(cell, sizeof cell, column.interval ? " %-22s" : " %-10s", header.c_str());
        out << cell;
    }
    out << " "
        << "RMSE      train_s  eval_s\n";
    for (const auto& model : models) {
        std::snprintf(cell, sizeof cell, "%-12s", model.model.c_str());
        out << cell;
        const auto value = [&](const std::string& key) {
            const auto it = model.metrics.find(key);
            return it == model.metrics.end() ? std::nan("") : it->second;
        };
        for (const auto& column : columns) {
            const std::string key = metricKey(column.metric, k);
            const double v = value(key);
            if (column.interval) {
                const double low = value(key + "_ci_low");
                const double high = value(key + "_ci_high");
                if (std::isnan(low))
                    std::snprintf(cell, sizeof cell, " %-22.4f", v);
                else
                    std::snprintf(cell, sizeof cell, " %.4f [%.4f,%.4f]", v, low, high);
            } else {
                std::snprintf(cell, sizeof cell, " %-10.4f", v);
            }
            out << cell;
        }
        const double rmse = value("rmse");
        if (std::isnan(rmse))
            std::snprintf(cell, sizeof cell, " %-9s", "-");
        else
            std::snprintf(cell, sizeof cell, " %-9.4f", rmse);
        out << cell;
        std::snprintf(cell, sizeof cell, " %7.2f %7.2f\n", model.trainSeconds, model.evalSeconds);
        out << cell;
    }
    for (const auto& model : models) {
        if (model.parameters.empty()) continue;
        out << "parameters of " << model.model << ":";
        for (const auto& [name, value] : model.parameters) out << ' ' << name << '=' << value;
        out << '\n';
    }
    return out.str();
}

}  // namespace animerec
