# tests for core/eval
