# tests for core/models
