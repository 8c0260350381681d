#pragma once
// One read with a timeout on an Asio stream: async_read_some, run the context
// for at most the timeout, cancel if nothing came.

#include <utility>  // before Asio: Boost 1.74's awaitable.hpp uses std::exchange without it
#include <boost/asio.hpp>
#include <chrono>
#include <span>

namespace stridefuse::detail {

struct ReadResult {
  std::size_t bytes = 0;
  boost::system::error_code error;  ///< empty on success or timeout
};

template <class Stream>
ReadResult read_some_for(boost::asio::io_context& io, Stream& stream, std::span<std::uint8_t> buffer,
                         std::chrono::milliseconds timeout) {
  ReadResult result;
  bool done = false;
  stream.async_read_some(boost::asio::buffer(buffer.data(), buffer.size()),
                         [&](const boost::system::error_code& ec, std::size_t n) {
                           result.error = ec;
                           result.bytes = n;
                           done = true;
                         });
  io.restart();
  io.run_for(timeout);
  if (!done) {
    stream.cancel();
    io.restart();
    io.run();  // the handler runs now, with operation_aborted (or data that raced the cancel)
  }
  if (result.error == boost::asio::error::operation_aborted) result.error = {};
  return result;
}

}  // namespace stridefuse::detail
