list(APPEND ANIMEREC_APP_SOURCES
  cli/command_line.cpp
  cli/command_evaluate.cpp
  cli/progress_run.cpp
  cli/terminal_progress.cpp
  cli/command_import.cpp
  cli/command_train.cpp
  cli/command_train_collaborative.cpp
  cli/command_generate.cpp
  cli/command_serve.cpp
  cli/command_ab.cpp
  cli/command_explore.cpp
  cli/explorer_text.cpp
)
