#include "stridefuse/runtime/tcp_transport.hpp"

#include <utility>  // before Asio: Boost 1.74's awaitable.hpp uses std::exchange without it
#include <boost/asio.hpp>

#include "asio_read.hpp"

namespace stridefuse {

struct TcpTransport::Impl {
  boost::asio::io_context io;
  boost::asio::ip::tcp::socket socket{io};
};

namespace {

void connect(boost::asio::io_context& io, boost::asio::ip::tcp::socket& socket, const std::string& host, std::uint16_t port, std::chrono::milliseconds timeout,
             const std::string& where) {
  boost::system::error_code ec;
  boost::asio::ip::tcp::resolver resolver(io);
  const auto endpoints = resolver.resolve(host, std::to_string(port), ec);
  if (ec) throw TransportError("cannot resolve " + where + ": " + ec.message());
  bool done = false;
  boost::asio::async_connect(socket, endpoints, [&](const boost::system::error_code& e, const auto&) {
    ec = e;
    done = true;
  });
  io.restart();
  io.run_for(timeout);
  if (!done) {
    boost::system::error_code ignored;
    socket.close(ignored);
    io.restart();
    io.run();
    throw TransportError("connecting to " + where + " timed out");
  }
  if (ec) {
    boost::system::error_code ignored;
    socket.close(ignored);
    throw TransportError("cannot connect to " + where + ": " + ec.message());
  }
  socket.set_option(boost::asio::ip::tcp::no_delay(true));
}

}  // namespace

TcpTransport::TcpTransport(std::string host, std::uint16_t port, std::chrono::milliseconds connect_timeout)
    : host_(std::move(host)), port_(port), connect_timeout_(connect_timeout), impl_(std::make_unique<Impl>()) {
  connect(impl_->io, impl_->socket, host_, port_, connect_timeout_, describe());
}

TcpTransport::~TcpTransport() = default;

std::string TcpTransport::describe() const { return "tcp:" + host_ + ":" + std::to_string(port_); }

std::size_t TcpTransport::read(std::span<std::uint8_t> buffer, std::chrono::milliseconds timeout) {
  if (!impl_->socket.is_open()) connect(impl_->io, impl_->socket, host_, port_, connect_timeout_, describe());
  const auto r = detail::read_some_for(impl_->io, impl_->socket, buffer, timeout);
  if (r.error) {
    boost::system::error_code ignored;
    impl_->socket.close(ignored);
    throw TransportError(describe() + " closed: " + r.error.message());
  }
  return r.bytes;
}

void TcpTransport::write(std::span<const std::uint8_t> bytes) {
  if (!impl_->socket.is_open()) connect(impl_->io, impl_->socket, host_, port_, connect_timeout_, describe());
  boost::system::error_code ec;
  boost::asio::write(impl_->socket, boost::asio::buffer(bytes.data(), bytes.size()), ec);
  if (ec) {
    boost::system::error_code ignored;
    impl_->socket.close(ignored);
    throw TransportError("cannot write to " + describe() + ": " + ec.message());
  }
}

}  // namespace stridefuse
