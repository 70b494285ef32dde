"""The recurrent forecaster (LSTM or GRU): a linear anchor, a Lightning network correcting it per
target group, gradient-boosted medians blended in, and a calibrated 80% interval."""
