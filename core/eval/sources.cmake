list(APPEND ANIMEREC_CORE_SOURCES
  eval/split.cpp
  eval/metrics.cpp
  eval/bootstrap.cpp
  eval/evaluation_report.cpp
  eval/evaluator.cpp
  eval/hyperparameter_search.cpp
  eval/search_spaces.cpp
  eval/model_selection.cpp
  eval/quality_gate.cpp
  eval/ab_statistics.cpp
  eval/time_order.cpp
  eval/split_files.cpp
  eval/list_outcome.cpp
  eval/quality_counts.cpp
)
