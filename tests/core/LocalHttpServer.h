#pragma once
// A tiny HTTP/1.1 server on 127.0.0.1 for the download tests: the tests never reach the
// network. Each route answers with a status and a body, whole, cut short (the Content-Length
// promises more than is sent) or slowly (in small pieces, so a test can cancel mid-transfer).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <QByteArray>

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <thread>

namespace factorscope::test {

class LocalHttpServer {
public:
    enum class Mode { Whole, Truncated, Slow };
    struct Route {
        int status = 200;
        QByteArray body;
        Mode mode = Mode::Whole;
    };

    LocalHttpServer() {
        m_listen = ::socket(AF_INET, SOCK_STREAM, 0);
        int one = 1;
        ::setsockopt(m_listen, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        a.sin_port = 0;
        if (::bind(m_listen, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::listen(m_listen, 8) != 0)
            qFatal("LocalHttpServer: cannot listen on 127.0.0.1");
        socklen_t len = sizeof a;
        ::getsockname(m_listen, reinterpret_cast<sockaddr*>(&a), &len);
        m_port = ntohs(a.sin_port);
        m_thread = std::thread([this] { serve(); });
    }
    ~LocalHttpServer() {
        m_stop = true;
        ::shutdown(m_listen, SHUT_RDWR);
        ::close(m_listen);
        m_thread.join();
    }

    std::string baseUrl() const { return "http://127.0.0.1:" + std::to_string(m_port) + "/"; }
    void route(const std::string& path, Route r) {
        std::lock_guard lock(m_mutex);
        m_routes[path] = std::move(r);
    }
    int requests() const { return m_requests; }

private:
    void serve() {
        while (!m_stop) {
            const int c = ::accept(m_listen, nullptr, nullptr);
            if (c < 0)
                return;
            handle(c);
            ::close(c);
        }
    }

    void handle(int c) {
        std::string request;
        char buf[4096];
        while (request.find("\r\n\r\n") == std::string::npos) {
            const ssize_t n = ::recv(c, buf, sizeof buf, 0);
            if (n <= 0)
                return;
            request.append(buf, static_cast<std::size_t>(n));
        }
        ++m_requests;
        const auto sp1 = request.find(' '), sp2 = request.find(' ', sp1 + 1);
        const std::string path = request.substr(sp1 + 1, sp2 - sp1 - 1);
        Route r{404, "not found", Mode::Whole};
        {
            std::lock_guard lock(m_mutex);
            if (auto it = m_routes.find(path); it != m_routes.end())
                r = it->second;
        }
        const std::string head =
            "HTTP/1.1 " + std::to_string(r.status) + (r.status == 200 ? " OK" : " Error") +
            "\r\nContent-Type: application/octet-stream\r\nContent-Length: " + std::to_string(r.body.size()) +
            "\r\nConnection: close\r\n\r\n";
        if (!sendAll(c, head.data(), head.size()))
            return;
        if (r.mode == Mode::Whole) {
            sendAll(c, r.body.constData(), static_cast<std::size_t>(r.body.size()));
        } else if (r.mode == Mode::Truncated) {
            sendAll(c, r.body.constData(), static_cast<std::size_t>(r.body.size() / 2));
        } else {
            for (qsizetype at = 0; at < r.body.size() && !m_stop; at += 8192) {
                if (!sendAll(c, r.body.constData() + at,
                             static_cast<std::size_t>(std::min<qsizetype>(8192, r.body.size() - at))))
                    return;
                std::this_thread::sleep_for(std::chrono::milliseconds(20));
            }
        }
    }

    static bool sendAll(int c, const char* p, std::size_t n) {
        while (n > 0) {
            const ssize_t k = ::send(c, p, n, MSG_NOSIGNAL);
            if (k <= 0)
                return false;
            p += k;
            n -= static_cast<std::size_t>(k);
        }
        return true;
    }

    int m_listen = -1;
    int m_port = 0;
    std::atomic<bool> m_stop{false};
    std::atomic<int> m_requests{0};
    std::mutex m_mutex;
    std::map<std::string, Route> m_routes;
    std::thread m_thread;
};

} // namespace factorscope::test
