list(APPEND ANIMEREC_APP_SOURCES
  experiments/experiment.cpp
  experiments/recent_exposures.cpp
  experiments/experiment_store.cpp
  experiments/ab_report.cpp
  experiments/experiment_error.cpp
  experiments/assignment.cpp
  experiments/experiment_catalogue.cpp
  experiments/experiment_runtime.cpp
  experiments/replay_simulator.cpp
)
