#include "stridefuse/runtime/serial_transport.hpp"

#include <utility>  // before Asio: Boost 1.74's awaitable.hpp uses std::exchange without it
#include <boost/asio.hpp>
#include <cerrno>

#include "asio_read.hpp"

namespace stridefuse {

struct SerialTransport::Impl {
  boost::asio::io_context io;
  boost::asio::serial_port port{io};
};

namespace {

void open_port(boost::asio::serial_port& port, const std::string& path, unsigned baud_rate) {
  boost::system::error_code ec;
  port.open(path, ec);
  if (ec) {
    std::string message = "cannot open serial device " + path + ": " + ec.message();
    if (ec.value() == EACCES)
      message += " (add yourself to the 'dialout' group, or install drivers/udev/70-stridefuse.rules)";
    throw TransportError(message);
  }
  using boost::asio::serial_port_base;
  port.set_option(serial_port_base::baud_rate(baud_rate));
  port.set_option(serial_port_base::character_size(8));
  port.set_option(serial_port_base::parity(serial_port_base::parity::none));
  port.set_option(serial_port_base::stop_bits(serial_port_base::stop_bits::one));
  port.set_option(serial_port_base::flow_control(serial_port_base::flow_control::none));
}

}  // namespace

SerialTransport::SerialTransport(std::string path, unsigned baud_rate)
    : path_(std::move(path)), baud_rate_(baud_rate), impl_(std::make_unique<Impl>()) {
  open_port(impl_->port, path_, baud_rate_);
}

SerialTransport::~SerialTransport() = default;

std::size_t SerialTransport::read(std::span<std::uint8_t> buffer, std::chrono::milliseconds timeout) {
  if (!impl_->port.is_open()) open_port(impl_->port, path_, baud_rate_);
  const auto r = detail::read_some_for(impl_->io, impl_->port, buffer, timeout);
  if (r.error) {
    boost::system::error_code ignored;
    impl_->port.close(ignored);
    throw TransportError("serial device " + path_ + " is gone: " + r.error.message());
  }
  return r.bytes;
}

void SerialTransport::write(std::span<const std::uint8_t> bytes) {
  if (!impl_->port.is_open()) open_port(impl_->port, path_, baud_rate_);
  boost::system::error_code ec;
  boost::asio::write(impl_->port, boost::asio::buffer(bytes.data(), bytes.size()), ec);
  if (ec) {
    boost::system::error_code ignored;
    impl_->port.close(ignored);
    throw TransportError("cannot write to serial device " + path_ + ": " + ec.message());
  }
}

}  // namespace stridefuse
