list(APPEND ANIMEREC_APP_SOURCES
  service/model_registry.cpp
  service/gate_record.cpp
  service/recommend_service.cpp
  service/metrics_registry.cpp
  service/json_line_writer.cpp
  service/request_log.cpp
  service/replica_sync.cpp
  service/quality_monitor.cpp
  service/recent_history.cpp
)
