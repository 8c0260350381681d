#include "stridefuse/runtime/device_time_session.hpp"

#include <algorithm>
#include <stdexcept>

#include "record/session_recorder_access.hpp"
#include "session/device_reader.hpp"
#include "session/fusion_core.hpp"
#include "stridefuse/runtime/zmq_publisher.hpp"

namespace stridefuse {

DeviceTimeReport run_in_device_time(SessionConfig config, std::vector<OpenedDevice> devices,
                                    std::shared_ptr<EventPublisher> publisher, const DeviceTimeOptions& options) {
  validate_athlete_id(config.athlete);
  if (!publisher) throw std::invalid_argument("a device-time session needs a publisher");
  if (devices.empty()) throw std::invalid_argument("a device-time session needs a device");
  if (!(options.duration_s > 0.0 && options.duration_s <= 1e6))
    throw std::invalid_argument("a device-time session's duration must be in (0, 1e6] s");

  const SessionClock clock;  // never read: every transport stamps its reads
  std::vector<std::unique_ptr<detail::DeviceReader>> readers;
  std::vector<const StampedTransport*> stamps;
  std::vector<StreamDescriptor> streams;
  for (auto& d : devices) {
    if (!d.transport || !d.driver) throw std::invalid_argument("a device-time session's device lacks a transport or driver");
    const auto* stamped = dynamic_cast<const StampedTransport*>(d.transport.get());
    if (!stamped)
      throw std::invalid_argument("device " + d.transport->describe() +
                                  " keeps no time of its own (its transport does not stamp its reads)");
    stamps.push_back(stamped);
    readers.push_back(std::make_unique<detail::DeviceReader>(std::move(d.transport), std::move(d.driver),
                                                             static_cast<std::uint16_t>(streams.size()), clock,
                                                             config.queue_capacity));
    for (const auto& s : readers.back()->streams()) {
      validate(s);
      for (const auto& existing : streams)
        if (existing.id == s.id) throw std::invalid_argument("two devices declare a stream named '" + s.id + "'");
      streams.push_back(s);
    }
  }

  std::shared_ptr<detail::FusionTrace> trace;
  if (options.recorder) trace = detail::SessionRecorderAccess::begin_session(*options.recorder, config, clock);
  std::vector<detail::DeviceReader*> reader_ptrs;
  for (auto& r : readers) reader_ptrs.push_back(r.get());
  std::atomic<std::uint32_t> steps{0};
  detail::FusionCore core(config, reader_ptrs, *publisher, steps);
  if (trace) trace->session_start(options.host_start_unix_ns);
  core.start(options.host_start_unix_ns);

  std::vector<bool> ended(readers.size(), false);
  for (std::size_t d = 0; d < readers.size(); ++d) ended[d] = !readers[d]->begin();
  DeviceTimeReport report;
  double now_s = 0.0;
  std::vector<std::uint32_t> popped;
  while (now_s < options.duration_s && std::find(ended.begin(), ended.end(), false) != ended.end()) {
    // Each device reads once; the turn runs when the latest of those reads arrived.
    for (std::size_t d = 0; d < readers.size(); ++d) {
      if (ended[d]) continue;
      ended[d] = readers[d]->step() == detail::DeviceReader::StepResult::ended;
      now_s = std::max(now_s, stamps[d]->last_arrival_s());
    }
    core.turn([now_s] { return now_s; }, popped, trace.get());
    for (const auto n : popped) report.samples += n;
    ++report.fusion_turns;
  }
  const auto final_status = core.snapshots();
  if (trace) trace->session_end(now_s, final_status);
  core.finish(now_s, final_status);
  for (auto& r : readers) r->end();
  report.steps = steps.load();
  report.session_s = now_s;
  return report;
}

}  // namespace stridefuse
