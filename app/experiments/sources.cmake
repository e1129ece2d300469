list(APPEND ANIMEREC_APP_SOURCES
  experiments/experiment.cpp
  experiments/recent_exposures.cpp
  experiments/experiment_store.cpp
  experiments/ab_report.cpp
  experiments/experiment_service.cpp
  experiments/replay_simulator.cpp
)
