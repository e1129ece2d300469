#pragma once

#include <cstdint>
#include <span>

#include "eval/bootstrap.h"

namespace animerec {

// Statistics for comparing two variants of an online experiment (A = control, B = treatment).
// Pure functions; differences are always B - A.

// Standard normal cumulative distribution Phi(x).
double normalCdf(double x);
// Inverse of Phi for p in (0, 1) (Acklam's rational approximation refined by one Halley step,
// relative error < 1e-12). Throws std::invalid_argument outside (0, 1).
double normalQuantile(double p);

struct ProportionEstimate {
    double rate = 0.0;            // successes / trials; 0 without trials
    ConfidenceInterval interval;  // Wilson score interval; [0, 1] without trials
};

// A rate and its interval, e.g. one variant's or one model version's CTR@K (Wilson, "Probable
// inference, the law of succession, and statistical inference", JASA 1927): unlike the Wald
// interval it stays inside [0, 1] and is not empty at 0 or all successes. The A/B report and the
// online quality view both take their rates and intervals from here. Throws std::invalid_argument
// when a count is negative, successes exceed trials or confidence is outside (0, 1).
ProportionEstimate estimateProportion(std::int64_t successes, std::int64_t trials,
                                      double confidence = 0.95);

struct ProportionTest {
    double rateA = 0.0;  // successesA / trialsA
    double rateB = 0.0;
    double difference = 0.0;      // rateB - rateA
    double relativeLift = 0.0;    // difference / rateA; 0 when rateA is 0
    double z = 0.0;               // difference / pooled standard error; 0 when that error is 0
    double pValue = 1.0;          // two-sided
    ConfidenceInterval interval;  // Wald interval of the difference (unpooled standard error)
};

// Two-proportion z-test (pooled variance for the test, unpooled for the interval; e.g. Agresti,
// "Categorical Data Analysis", 3rd ed., sec. 3.1.2). `confidence` is the two-sided coverage of the
// interval. Throws std::invalid_argument when a count is negative, successes exceed trials, a
// variant has no trials, or confidence is outside (0, 1).
ProportionTest twoProportionZTest(std::int64_t successesA, std::int64_t trialsA,
                                  std::int64_t successesB, std::int64_t trialsB,
                                  double confidence = 0.95);

// Percentile bootstrap interval of mean(b) - mean(a): each replicate resamples a and b
// independently with replacement (replicate r uses its own engine seeded by (seed, r); the
// options' thread count is ignored). Throws std::invalid_argument when a sample is empty or the
// options are invalid (resamples < 1, confidence outside (0, 1)).
ConfidenceInterval bootstrapMeanDifference(std::span<const double> a, std::span<const double> b,
                                           const BootstrapOptions& options = {});

// Users (or exposures) needed per variant to detect a change of a proportion from `baseline` to
// baseline * (1 + relativeLift) with a two-sided test at level `alpha` and the given power
// (Fleiss, "Statistical Methods for Rates and Proportions", eq. 4.14, without continuity
// correction): n = (z_{1-a/2} sqrt(2 pbar qbar) + z_{power} sqrt(p1 q1 + p2 q2))^2 / (p2 - p1)^2,
// rounded up. Throws std::invalid_argument when baseline is outside (0, 1), the lifted rate is
// outside (0, 1), the lift is 0, or alpha / power are outside (0, 1).
std::int64_t sampleSizePerVariant(double baseline, double relativeLift, double alpha = 0.05,
                                  double power = 0.8);

}  // namespace animerec
