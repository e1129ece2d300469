list(APPEND ANIMEREC_APP_SOURCES
  cli/command_line.cpp
  cli/terminal_progress.cpp
)
