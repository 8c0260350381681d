// TCP transport on loopback and the raw traffic recording/replay transport.

#include <gtest/gtest.h>
#include <unistd.h>

#include <utility>  // before Asio (Boost 1.74)
#include <boost/asio.hpp>
#include <filesystem>
#include <fstream>
#include <thread>

#include "stridefuse/runtime/raw_traffic.hpp"
#include "stridefuse/runtime/tcp_transport.hpp"

namespace {

using namespace stridefuse;
using boost::asio::ip::tcp;

std::vector<std::uint8_t> read_exactly(Transport& t, std::size_t n) {
  std::vector<std::uint8_t> out;
  std::array<std::uint8_t, 256> buf{};
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (out.size() < n && std::chrono::steady_clock::now() < until) {
    const auto got = t.read(std::span(buf).first(std::min(buf.size(), n - out.size())), std::chrono::milliseconds(50));
    out.insert(out.end(), buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(got));
  }
  return out;
}

TEST(TcpTransport, ExchangesBytesTimesOutAndReportsThePeerClosing) {
  boost::asio::io_context io;
  tcp::acceptor acceptor(io, tcp::endpoint(boost::asio::ip::address_v4::loopback(), 0));
  const auto port = acceptor.local_endpoint().port();
  std::vector<std::uint8_t> from_host(3);
  std::thread device([&] {
    tcp::socket s(io);
    acceptor.accept(s);
    boost::asio::read(s, boost::asio::buffer(from_host));
    const std::vector<std::uint8_t> reply{1, 2, 3, 4, 5};
    boost::asio::write(s, boost::asio::buffer(reply));
    std::this_thread::sleep_for(std::chrono::milliseconds(150));
  });
  TcpTransport t("127.0.0.1", port);
  EXPECT_EQ(t.describe(), "tcp:127.0.0.1:" + std::to_string(port));
  const std::vector<std::uint8_t> hello{9, 8, 7};
  t.write(hello);
  EXPECT_EQ(read_exactly(t, 5), (std::vector<std::uint8_t>{1, 2, 3, 4, 5}));
  std::array<std::uint8_t, 16> buf{};
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(t.read(buf, std::chrono::milliseconds(30)), 0u) << "nothing sent: a timeout, not an error";
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(25));
  device.join();
  EXPECT_EQ(from_host, hello);
  EXPECT_THROW(
      {
        for (int i = 0; i < 10; ++i) t.read(buf, std::chrono::milliseconds(50));
      },
      TransportError);
}

TEST(TcpTransport, RefusedConnectionIsNamed) {
  boost::asio::io_context io;
  tcp::acceptor acceptor(io, tcp::endpoint(boost::asio::ip::address_v4::loopback(), 0));
  const auto port = acceptor.local_endpoint().port();
  acceptor.close();
  try {
    TcpTransport t("127.0.0.1", port);
    FAIL();
  } catch (const TransportError& e) {
    EXPECT_NE(std::string(e.what()).find("127.0.0.1:" + std::to_string(port)), std::string::npos) << e.what();
  }
}

class ScriptedTransport final : public Transport {
 public:
  std::vector<std::vector<std::uint8_t>> chunks;
  std::vector<std::uint8_t> written;
  std::string describe() const override { return "scripted"; }
  std::size_t read(std::span<std::uint8_t> buffer, std::chrono::milliseconds) override {
    if (chunks.empty()) throw TransportError("end");
    const auto c = chunks.front();
    chunks.erase(chunks.begin());
    std::copy(c.begin(), c.end(), buffer.begin());
    return c.size();
  }
  void write(std::span<const std::uint8_t> b) override { written.insert(written.end(), b.begin(), b.end()); }
};

TEST(RawTraffic, RecordedTrafficReplaysTheDeviceSide) {
  const auto path = std::filesystem::temp_directory_path() / ("sfraw_" + std::to_string(getpid()) + ".bin");
  {
    auto inner = std::make_unique<ScriptedTransport>();
    inner->chunks = {{1, 2, 3}, {4}, {5, 6}};
    RecordingTransport rec(std::move(inner), path.string());
    std::array<std::uint8_t, 8> buf{};
    rec.write(std::vector<std::uint8_t>{0xAA});
    for (int i = 0; i < 3; ++i) rec.read(buf, std::chrono::milliseconds(1));
  }
  ReplayTransport replay(path.string(), 0.0);
  EXPECT_EQ(read_exactly(replay, 6), (std::vector<std::uint8_t>{1, 2, 3, 4, 5, 6})) << "host writes are not replayed";
  std::array<std::uint8_t, 8> buf{};
  EXPECT_THROW(replay.read(buf, std::chrono::milliseconds(1)), TransportError) << "end of recording";

  std::ofstream(path, std::ios::binary | std::ios::app).write("\x01\x02", 2);  // truncated record
  ReplayTransport truncated(path.string(), 0.0);
  read_exactly(truncated, 6);
  EXPECT_THROW(truncated.read(buf, std::chrono::milliseconds(1)), TransportError);
  std::filesystem::remove(path);
  EXPECT_THROW(ReplayTransport(path.string()), std::runtime_error);
}

}  // namespace
