list(APPEND ANIMEREC_APP_SOURCES
  i18n/language.cpp
)
