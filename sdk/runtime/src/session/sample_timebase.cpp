#include "session/sample_timebase.hpp"

namespace stridefuse::detail {

SampleTimebase::SampleTimebase(const std::vector<DeviceReader*>& readers, const std::vector<StreamDescriptor>& streams)
    : latency_(streams) {
  for (DeviceReader* r : readers) timelines_.push_back(std::make_unique<DeviceTimeline>(*r, r->transport().min_delay_s()));
}

const Sample* SampleTimebase::admit(std::size_t device) {
  Sample* s = timelines_[device]->next();
  if (s && latency_.active()) s->t_s += latency_.correction_s(*s);
  return s;
}

const fusion::InsoleLatencyCalibration* SampleTimebase::latency_calibration() const {
  return latency_.active() ? &latency_ : nullptr;
}

}  // namespace stridefuse::detail
