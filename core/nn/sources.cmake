list(APPEND ANIMEREC_CORE_SOURCES
  nn/linear.cpp
  nn/embedding.cpp
  nn/layer_norm.cpp
  nn/attention.cpp
  nn/feed_forward.cpp
  nn/gru.cpp
  nn/softmax_loss.cpp
  nn/multinomial_loss.cpp
  nn/gaussian_latent.cpp
  nn/bag_embedding.cpp
  nn/sampled_loss.cpp
  nn/negative_sampler.cpp
  nn/adam.cpp
  nn/sequence_encoder.cpp
  nn/sequence_trainer.cpp
  nn/tensor_io.cpp
)
