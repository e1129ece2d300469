list(APPEND ANIMEREC_APP_SOURCES
  jobs/collaborative_choice.cpp
  jobs/collaborative_choice_job.cpp
  jobs/role_gate.cpp
  jobs/phase_progress.cpp
  jobs/job_database.cpp
  jobs/parameter_syntax.cpp
  jobs/variant_syntax.cpp
  jobs/evaluation_job.cpp
  jobs/training_job.cpp
  jobs/replay_job.cpp
  jobs/demo_data_job.cpp
)
