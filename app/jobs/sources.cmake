list(APPEND ANIMEREC_APP_SOURCES
  jobs/collaborative_choice.cpp
  jobs/role_gate.cpp
)
