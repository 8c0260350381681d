#include "stridefuse/runtime/usb_transport.hpp"

#include <libusb.h>

#include <algorithm>
#include <cstdio>
#include <deque>
#include <mutex>
#include <stdexcept>
#include <thread>

namespace stridefuse {

std::string usb_error_message(int error) {
  std::string m = libusb_strerror(static_cast<libusb_error>(error));
  if (error == LIBUSB_ERROR_ACCESS)
    m += " (no permission: install drivers/udev/70-stridefuse.rules into /etc/udev/rules.d and replug)";
  return m;
}

namespace {

std::string id_text(const UsbId& id) {
  char b[16];
  std::snprintf(b, sizeof b, "%04x:%04x", id.vendor_id, id.product_id);
  return b;
}

}  // namespace

struct UsbTransport::Impl {
  UsbTransportConfig config;
  libusb_context* context = nullptr;
  libusb_device_handle* handle = nullptr;
  std::vector<libusb_transfer*> transfers;  // IN transfers, owned
  std::vector<std::vector<std::uint8_t>> buffers;
  std::deque<std::uint8_t> received;
  std::size_t in_flight = 0;
  bool gone = false;          // set by a callback: the device disappeared
  bool stalled = false;       // set by a callback: IN endpoint halted
  bool arrived = false;       // set by hotplug: a matching device appeared
  libusb_hotplug_callback_handle hotplug_handle = 0;
  bool has_hotplug = false;
  std::chrono::steady_clock::time_point next_attempt{};
  std::string where;
  UsbTransportCounters counters;
  mutable std::mutex counters_mutex;

  static void LIBUSB_CALL on_transfer(libusb_transfer* t) {
    auto* self = static_cast<Impl*>(t->user_data);
    --self->in_flight;
    switch (t->status) {
      case LIBUSB_TRANSFER_COMPLETED:
        self->received.insert(self->received.end(), t->buffer, t->buffer + t->actual_length);
        {
          std::lock_guard lock(self->counters_mutex);
          ++self->counters.transfers;
        }
        if (libusb_submit_transfer(t) == 0) ++self->in_flight;
        else self->gone = true;
        return;
      case LIBUSB_TRANSFER_TIMED_OUT:
        if (libusb_submit_transfer(t) == 0) ++self->in_flight;
        return;
      case LIBUSB_TRANSFER_STALL:
        self->stalled = true;  // cleared outside the callback: clear_halt is synchronous
        return;
      case LIBUSB_TRANSFER_CANCELLED:
        return;
      default:  // NO_DEVICE, ERROR, OVERFLOW
        self->gone = true;
        return;
    }
  }

  static int LIBUSB_CALL on_hotplug(libusb_context*, libusb_device*, libusb_hotplug_event event, void* user) {
    auto* self = static_cast<Impl*>(user);
    if (event == LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED) self->arrived = true;
    if (event == LIBUSB_HOTPLUG_EVENT_DEVICE_LEFT) self->gone = true;
    return 0;
  }

  void submit_all() {
    for (auto* t : transfers) {
      const int r = libusb_submit_transfer(t);
      if (r != 0) throw TransportError("cannot start USB transfers on " + where + ": " + usb_error_message(r));
      ++in_flight;
    }
  }

  void open() {
    libusb_device** list = nullptr;
    const ssize_t n = libusb_get_device_list(context, &list);
    if (n < 0) throw TransportError("cannot list USB devices: " + usb_error_message(static_cast<int>(n)));
    libusb_device* found = nullptr;
    for (ssize_t i = 0; i < n && !found; ++i) {
      libusb_device_descriptor d{};
      if (libusb_get_device_descriptor(list[i], &d) == 0 && d.idVendor == config.id.vendor_id &&
          d.idProduct == config.id.product_id)
        found = list[i];
    }
    int r = found ? libusb_open(found, &handle) : LIBUSB_ERROR_NOT_FOUND;
    if (found) {
      char b[32];
      std::snprintf(b, sizeof b, "@%u-%u", libusb_get_bus_number(found), libusb_get_device_address(found));
      where = "usb:" + id_text(config.id) + b;
    }
    libusb_free_device_list(list, 1);
    if (r != 0) {
      handle = nullptr;
      throw TransportError(r == LIBUSB_ERROR_NOT_FOUND
                               ? "no USB device " + id_text(config.id) + " attached"
                               : "cannot open USB device " + id_text(config.id) + ": " + usb_error_message(r));
    }
    libusb_set_auto_detach_kernel_driver(handle, 1);
    r = libusb_claim_interface(handle, config.interface_number);
    if (r != 0) {
      close();
      throw TransportError("cannot claim interface " + std::to_string(config.interface_number) + " of " + where +
                           ": " + usb_error_message(r));
    }
    gone = false;
    stalled = false;
    arrived = false;
    transfers.clear();
    buffers.assign(config.transfers_in_flight, std::vector<std::uint8_t>(config.transfer_bytes));
    for (auto& b : buffers) {
      libusb_transfer* t = libusb_alloc_transfer(0);
      if (config.kind == UsbEndpointKind::bulk)
        libusb_fill_bulk_transfer(t, handle, config.in_endpoint, b.data(), static_cast<int>(b.size()), on_transfer,
                                  this, 0);
      else
        libusb_fill_interrupt_transfer(t, handle, config.in_endpoint, b.data(), static_cast<int>(b.size()),
                                       on_transfer, this, 0);
      transfers.push_back(t);
    }
    submit_all();
  }

  void close() {
    if (!handle) return;
    for (auto* t : transfers) libusb_cancel_transfer(t);
    // Let the cancellations complete before freeing the transfers.
    timeval tv{0, 10000};
    for (int i = 0; i < 100 && in_flight > 0; ++i) libusb_handle_events_timeout_completed(context, &tv, nullptr);
    for (auto* t : transfers) libusb_free_transfer(t);
    transfers.clear();
    in_flight = 0;
    libusb_release_interface(handle, config.interface_number);
    libusb_close(handle);
    handle = nullptr;
  }

  void recover_stall() {
    stalled = false;
    {
      std::lock_guard lock(counters_mutex);
      ++counters.stalls;
    }
    const int r = libusb_clear_halt(handle, config.in_endpoint);
    if (r == LIBUSB_ERROR_NO_DEVICE) {
      gone = true;
      return;
    }
    // Every IN transfer that stalled has completed; resubmit up to the configured count.
    while (in_flight < transfers.size()) {
      libusb_transfer* t = transfers[in_flight];
      if (libusb_submit_transfer(t) != 0) break;
      ++in_flight;
    }
  }
};

UsbTransport::UsbTransport(UsbTransportConfig config) : impl_(std::make_unique<Impl>()) {
  if (config.transfer_bytes == 0 || config.transfers_in_flight == 0)
    throw std::invalid_argument("USB transport needs a positive transfer size and count");
  if (!(config.in_endpoint & 0x80) || (config.out_endpoint & 0x80))
    throw std::invalid_argument("USB transport: IN endpoint needs bit 7 set, OUT endpoint clear");
  impl_->config = config;
  impl_->where = "usb:" + id_text(config.id);
  const int r = libusb_init(&impl_->context);
  if (r != 0) throw TransportError("cannot start libusb: " + usb_error_message(r));
  if (libusb_has_capability(LIBUSB_CAP_HAS_HOTPLUG)) {
    impl_->has_hotplug =
        libusb_hotplug_register_callback(
            impl_->context,
            static_cast<libusb_hotplug_event>(LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED | LIBUSB_HOTPLUG_EVENT_DEVICE_LEFT),
            LIBUSB_HOTPLUG_NO_FLAGS, config.id.vendor_id, config.id.product_id, LIBUSB_HOTPLUG_MATCH_ANY,
            Impl::on_hotplug, impl_.get(), &impl_->hotplug_handle) == 0;
  }
  try {
    impl_->open();
  } catch (...) {
    if (impl_->has_hotplug) libusb_hotplug_deregister_callback(impl_->context, impl_->hotplug_handle);
    libusb_exit(impl_->context);
    throw;
  }
}

UsbTransport::~UsbTransport() {
  impl_->close();
  if (impl_->has_hotplug) libusb_hotplug_deregister_callback(impl_->context, impl_->hotplug_handle);
  libusb_exit(impl_->context);
}

std::string UsbTransport::describe() const { return impl_->where; }

bool UsbTransport::hotplug() const { return impl_->has_hotplug; }

UsbTransportCounters UsbTransport::counters() const {
  std::lock_guard lock(impl_->counters_mutex);
  return impl_->counters;
}

std::size_t UsbTransport::read(std::span<std::uint8_t> buffer, std::chrono::milliseconds timeout) {
  Impl& m = *impl_;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  if (!m.handle) {
    // Gone: look for it again, at once after a hotplug arrival, else now and then.
    timeval zero{0, 0};
    if (m.has_hotplug) libusb_handle_events_timeout_completed(m.context, &zero, nullptr);
    const auto now = std::chrono::steady_clock::now();
    if (m.arrived || now >= m.next_attempt) {
      m.next_attempt = now + m.config.reconnect_interval;
      try {
        m.open();
        std::lock_guard lock(m.counters_mutex);
        ++m.counters.reconnects;
      } catch (const TransportError&) {
        std::this_thread::sleep_until(std::min(deadline, m.next_attempt));
        return 0;
      }
    } else {
      std::this_thread::sleep_until(std::min(deadline, m.next_attempt));
      return 0;
    }
  }
  while (m.received.empty() && !m.gone) {
    if (m.stalled) m.recover_stall();
    const auto now = std::chrono::steady_clock::now();
    if (now >= deadline) break;
    const auto left = std::chrono::duration_cast<std::chrono::microseconds>(deadline - now);
    timeval tv{static_cast<time_t>(left.count() / 1000000), static_cast<suseconds_t>(left.count() % 1000000)};
    const int r = libusb_handle_events_timeout_completed(m.context, &tv, nullptr);
    if (r != 0 && r != LIBUSB_ERROR_INTERRUPTED) m.gone = true;
  }
  if (m.stalled && !m.gone) m.recover_stall();  // a stall seen in the same pass as data
  if (m.received.empty() && m.gone) {
    m.close();
    m.next_attempt = std::chrono::steady_clock::now() + m.config.reconnect_interval;
    {
      std::lock_guard lock(m.counters_mutex);
      ++m.counters.disconnects;
    }
    throw TransportError("USB device " + m.where + " is gone (unplugged?)");
  }
  const std::size_t n = std::min(buffer.size(), m.received.size());
  std::copy_n(m.received.begin(), n, buffer.begin());
  m.received.erase(m.received.begin(), m.received.begin() + static_cast<std::ptrdiff_t>(n));
  return n;
}

void UsbTransport::write(std::span<const std::uint8_t> bytes) {
  Impl& m = *impl_;
  if (!m.handle) {
    m.open();  // throws TransportError while the device is still away
    std::lock_guard lock(m.counters_mutex);
    ++m.counters.reconnects;
  }
  std::size_t sent = 0;
  int stalls = 0;
  while (sent < bytes.size()) {
    int done = 0;
    auto* data = const_cast<unsigned char*>(bytes.data() + sent);  // libusb's signature; OUT data is only read
    const int length = static_cast<int>(bytes.size() - sent);
    const auto timeout = static_cast<unsigned>(m.config.write_timeout.count());
    const int r = m.config.kind == UsbEndpointKind::bulk
                      ? libusb_bulk_transfer(m.handle, m.config.out_endpoint, data, length, &done, timeout)
                      : libusb_interrupt_transfer(m.handle, m.config.out_endpoint, data, length, &done, timeout);
    sent += static_cast<std::size_t>(done);
    if (r == 0) continue;
    if (r == LIBUSB_ERROR_PIPE && ++stalls < 2) {
      libusb_clear_halt(m.handle, m.config.out_endpoint);
      std::lock_guard lock(m.counters_mutex);
      ++m.counters.stalls;
      continue;
    }
    if (r == LIBUSB_ERROR_NO_DEVICE) m.gone = true;
    throw TransportError("USB write to " + m.where + " failed: " + usb_error_message(r));
  }
}

std::vector<UsbDeviceInfo> list_usb_devices() {
  libusb_context* context = nullptr;
  if (const int r = libusb_init(&context); r != 0)
    throw std::runtime_error("cannot start libusb: " + usb_error_message(r));
  libusb_device** list = nullptr;
  const ssize_t n = libusb_get_device_list(context, &list);
  std::vector<UsbDeviceInfo> out;
  for (ssize_t i = 0; i < n; ++i) {
    libusb_device_descriptor d{};
    if (libusb_get_device_descriptor(list[i], &d) != 0) continue;
    UsbDeviceInfo info;
    info.id = {d.idVendor, d.idProduct};
    info.bus = libusb_get_bus_number(list[i]);
    info.address = libusb_get_device_address(list[i]);
    libusb_device_handle* h = nullptr;
    if (const int r = libusb_open(list[i], &h); r != 0) {
      info.open_error = usb_error_message(r);
    } else {
      unsigned char text[128] = {};
      if (d.iProduct && libusb_get_string_descriptor_ascii(h, d.iProduct, text, sizeof text) > 0)
        info.product = reinterpret_cast<const char*>(text);
      libusb_close(h);
    }
    out.push_back(info);
  }
  if (list) libusb_free_device_list(list, 1);  // allocated even when empty
  libusb_exit(context);
  return out;
}

}  // namespace stridefuse
