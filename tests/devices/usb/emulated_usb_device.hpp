#pragma once
// A USB device emulated by umockdev inside the test process: a vendor-class
// device with one bulk IN and one bulk OUT endpoint whose answers come from a
// DeviceSide (e.g. the bridge emulator). It can stall its IN endpoint, stop
// accepting OUT data (a write timeout), and be unplugged and replugged.
// Runs only under umockdev's preload (umockdev-wrapper).

#include <linux/ioctl.h>
#include <linux/usbdevice_fs.h>
#include <umockdev.h>

#include <cerrno>
#include <chrono>
#include <cstddef>
#include <cstdio>
#include <cstring>
#include <deque>
#include <functional>
#include <mutex>
#include <span>
#include <string>
#include <vector>

namespace stridefuse::testing {

/// The device's behaviour. Called on umockdev's thread with the device's lock held.
struct DeviceSide {
  std::function<void(std::span<const std::uint8_t>)> on_out;  ///< host wrote these bytes
  std::function<std::vector<std::uint8_t>()> poll_in;          ///< bytes the device has for the host now
};

class EmulatedUsbDevice {
 public:
  EmulatedUsbDevice(std::uint16_t vendor_id, std::uint16_t product_id, DeviceSide side) : side_(std::move(side)) {
    testbed_ = umockdev_testbed_new();
    handler_ = umockdev_ioctl_base_new();
    g_signal_connect(handler_, "handle-ioctl", G_CALLBACK(&EmulatedUsbDevice::on_ioctl), this);
    umockdev_testbed_attach_ioctl(testbed_, "/dev/bus/usb/001/002", handler_, nullptr);
    umockdev_testbed_add_from_string(testbed_, description(vendor_id, product_id).c_str(), nullptr);
  }
  ~EmulatedUsbDevice() {
    g_object_unref(handler_);
    g_object_unref(testbed_);
    for (auto& u : pending_in_) umockdev_ioctl_data_unref(u);
    for (auto& c : completed_) umockdev_ioctl_data_unref(c.urb);
  }

  void stall_next_in() {
    std::lock_guard lock(mutex_);
    stall_ = true;
  }
  void block_out(bool blocked) {
    std::lock_guard lock(mutex_);
    out_blocked_ = blocked;
  }
  void unplug() {
    std::lock_guard lock(mutex_);
    plugged_ = false;
    // Every transfer in flight ends as on a real disconnect.
    for (auto* u : pending_in_) completed_.push_back({u, -ESHUTDOWN, 0});
    pending_in_.clear();
  }
  void replug() {
    std::lock_guard lock(mutex_);
    plugged_ = true;
  }
  std::uint64_t out_bytes() const {
    std::lock_guard lock(mutex_);
    return out_bytes_;
  }

 private:
  struct Completed {
    UMockdevIoctlData* urb;
    int status;
    int length;
  };

  static std::string hex(const std::vector<std::uint8_t>& bytes) {
    std::string out;
    char b[3];
    for (auto v : bytes) {
      std::snprintf(b, sizeof b, "%02x", v);
      out += b;
    }
    return out;
  }

  static std::string description(std::uint16_t vid, std::uint16_t pid) {
    const std::vector<std::uint8_t> descriptors{
        // device: USB 2.0, vendor class at interface level, 64-byte EP0, no strings, one configuration
        0x12, 0x01, 0x00, 0x02, 0x00, 0x00, 0x00, 0x40, static_cast<std::uint8_t>(vid & 0xFF),
        static_cast<std::uint8_t>(vid >> 8), static_cast<std::uint8_t>(pid & 0xFF), static_cast<std::uint8_t>(pid >> 8),
        0x00, 0x01, 0x00, 0x00, 0x00, 0x01,
        // configuration 1: 32 bytes in all, one interface, bus powered, 100 mA
        0x09, 0x02, 0x20, 0x00, 0x01, 0x01, 0x00, 0x80, 0x32,
        // interface 0: two endpoints, vendor specific
        0x09, 0x04, 0x00, 0x00, 0x02, 0xFF, 0x00, 0x00, 0x00,
        // bulk IN 0x81 and bulk OUT 0x01, 64-byte packets
        0x07, 0x05, 0x81, 0x02, 0x40, 0x00, 0x00, 0x07, 0x05, 0x01, 0x02, 0x40, 0x00, 0x00};
    return "P: /devices/usb1/1-1\n"
           "N: bus/usb/001/002\n"
           "E: SUBSYSTEM=usb\n"
           "E: DEVTYPE=usb_device\n"
           "E: BUSNUM=001\n"
           "E: DEVNUM=002\n"
           "E: DEVNAME=/dev/bus/usb/001/002\n"
           "A: busnum=1\\n\n"
           "A: devnum=2\\n\n"
           "A: bConfigurationValue=1\\n\n"
           "A: speed=480\\n\n"
           "H: descriptors=" + hex(descriptors) + "\n";
  }

  static gboolean on_ioctl(UMockdevIoctlBase*, UMockdevIoctlClient* client, gpointer self) {
    return static_cast<EmulatedUsbDevice*>(self)->handle(client);
  }

  gboolean handle(UMockdevIoctlClient* client) {
    std::lock_guard lock(mutex_);
    const unsigned long request = umockdev_ioctl_client_get_request(client);
    UMockdevIoctlData* arg = umockdev_ioctl_client_get_arg(client);
    switch (request) {
      case USBDEVFS_GET_CAPABILITIES: {
        UMockdevIoctlData* d = umockdev_ioctl_data_resolve(arg, 0, sizeof(guint32), nullptr);
        *reinterpret_cast<guint32*>(d->data) = USBDEVFS_CAP_BULK_CONTINUATION | USBDEVFS_CAP_NO_PACKET_SIZE_LIM |
                                               USBDEVFS_CAP_REAP_AFTER_DISCONNECT | USBDEVFS_CAP_ZERO_PACKET;
        umockdev_ioctl_data_unref(d);
        umockdev_ioctl_client_complete(client, 0, 0);
        return TRUE;
      }
      case USBDEVFS_GETDRIVER:
      case USBDEVFS_IOCTL:
        return fail(client, ENODATA);  // no kernel driver bound: nothing to detach
      case USBDEVFS_DISCONNECT_CLAIM:
      case USBDEVFS_CLAIMINTERFACE:
      case USBDEVFS_RELEASEINTERFACE:
      case USBDEVFS_CLEAR_HALT:
      case USBDEVFS_RESET:
      case USBDEVFS_RESETEP:
      case USBDEVFS_SETINTERFACE:
        if (!plugged_ && request != USBDEVFS_RELEASEINTERFACE) return fail(client, ENODEV);
        ++control_requests_;
        umockdev_ioctl_client_complete(client, 0, 0);
        return TRUE;
      case USBDEVFS_SUBMITURB: {
        if (!plugged_) return fail(client, ENODEV);
        UMockdevIoctlData* urb_data = umockdev_ioctl_data_resolve(arg, 0, sizeof(usbdevfs_urb), nullptr);
        auto* urb = reinterpret_cast<usbdevfs_urb*>(urb_data->data);
        UMockdevIoctlData* buffer = umockdev_ioctl_data_resolve(urb_data, offsetof(usbdevfs_urb, buffer),
                                                                static_cast<gsize>(urb->buffer_length), nullptr);
        if (urb->endpoint & 0x80) {
          pending_in_.push_back(urb_data);
        } else if (!out_blocked_) {
          out_bytes_ += static_cast<std::uint64_t>(urb->buffer_length);
          side_.on_out({reinterpret_cast<const std::uint8_t*>(buffer->data), static_cast<std::size_t>(urb->buffer_length)});
          completed_.push_back({urb_data, 0, urb->buffer_length});
        } else {
          pending_out_.push_back(urb_data);  // never completes: the host's timeout discards it
        }
        umockdev_ioctl_data_unref(buffer);
        umockdev_ioctl_client_complete(client, 0, 0);
        return TRUE;
      }
      case USBDEVFS_REAPURB:
      case USBDEVFS_REAPURBNDELAY: {
        if (completed_.empty()) fill_in();
        if (completed_.empty()) return fail(client, plugged_ ? EAGAIN : ENODEV);
        const Completed c = completed_.front();
        completed_.pop_front();
        auto* urb = reinterpret_cast<usbdevfs_urb*>(c.urb->data);
        urb->status = c.status;
        urb->actual_length = c.length;
        UMockdevIoctlData* ptr = umockdev_ioctl_data_resolve(arg, 0, sizeof(gpointer), nullptr);
        umockdev_ioctl_data_set_ptr(ptr, 0, c.urb);
        umockdev_ioctl_data_unref(ptr);
        umockdev_ioctl_data_unref(c.urb);
        umockdev_ioctl_client_complete(client, 0, 0);
        return TRUE;
      }
      case USBDEVFS_DISCARDURB: {
        const auto address = reinterpret_cast<gulong>(*reinterpret_cast<void**>(arg->data));
        for (auto* list : {&pending_in_, &pending_out_})
          for (auto it = list->begin(); it != list->end(); ++it)
            if ((*it)->client_addr == address) {
              completed_.push_back({*it, -ENOENT, 0});
              list->erase(it);
              umockdev_ioctl_client_complete(client, 0, 0);
              return TRUE;
            }
        return fail(client, EINVAL);
      }
      default:
        return FALSE;
    }
  }

  gboolean fail(UMockdevIoctlClient* client, int error) {
    umockdev_ioctl_client_complete(client, -1, error);
    return TRUE;
  }

  // Moves device data into the oldest pending IN transfer, or stalls it.
  void fill_in() {
    if (pending_in_.empty() || !plugged_) return;
    UMockdevIoctlData* urb_data = pending_in_.front();
    auto* urb = reinterpret_cast<usbdevfs_urb*>(urb_data->data);
    if (stall_) {
      stall_ = false;
      pending_in_.pop_front();
      completed_.push_back({urb_data, -EPIPE, 0});
      return;
    }
    auto more = side_.poll_in();
    in_backlog_.insert(in_backlog_.end(), more.begin(), more.end());
    if (in_backlog_.empty()) return;
    const std::size_t n = std::min<std::size_t>(in_backlog_.size(), static_cast<std::size_t>(urb->buffer_length));
    std::copy_n(in_backlog_.begin(), n, static_cast<std::uint8_t*>(urb->buffer));
    in_backlog_.erase(in_backlog_.begin(), in_backlog_.begin() + static_cast<std::ptrdiff_t>(n));
    pending_in_.pop_front();
    completed_.push_back({urb_data, 0, static_cast<int>(n)});
  }

  DeviceSide side_;
  UMockdevTestbed* testbed_ = nullptr;
  UMockdevIoctlBase* handler_ = nullptr;
  mutable std::mutex mutex_;
  std::deque<UMockdevIoctlData*> pending_in_;
  std::deque<UMockdevIoctlData*> pending_out_;
  std::deque<Completed> completed_;
  std::deque<std::uint8_t> in_backlog_;
  bool stall_ = false;
  bool out_blocked_ = false;
  bool plugged_ = true;
  std::uint64_t out_bytes_ = 0;
  std::uint64_t control_requests_ = 0;
};

}  // namespace stridefuse::testing
