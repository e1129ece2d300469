# Gradient checks of core/nn's layers (hand-written backward passes against finite differences).
animerec_add_test(test_nn_gradients SOURCES nn/test_nn_gradients.cpp LIBS animerec_core)
