// The baseline for GET /healthz: a bare cpp-httplib server with exactly the tuning HttpServer
// applies (TCP_NODELAY, a thread pool of N threads, keep-alive 1000 requests / 5 s, 10 s
// timeouts), answering the same JSON body. Usage: hello_server [THREADS]; prints
// "listening on http://127.0.0.1:PORT" and serves until SIGTERM or SIGINT.
#include <httplib.h>
#include <signal.h>

#include <cstdio>
#include <cstdlib>
#include <thread>

int main(int argc, char** argv) {
  size_t threads = argc > 1 ? static_cast<size_t>(std::atoi(argv[1])) : 32;
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);  // the server's threads inherit the mask

  httplib::Server server;
  server.set_tcp_nodelay(true);
  server.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  server.set_keep_alive_max_count(1000);
  server.set_keep_alive_timeout(5);
  server.set_read_timeout(10, 0);
  server.set_write_timeout(10, 0);
  server.Get("/healthz", [](const httplib::Request&, httplib::Response& res) {
    res.set_header("Cache-Control", "no-store");
    res.set_content("{\"status\":\"ok\"}\n", "application/json; charset=utf-8");
  });
  int port = server.bind_to_any_port("127.0.0.1");
  if (port <= 0) return 1;
  std::printf("listening on http://127.0.0.1:%d\n", port);
  std::fflush(stdout);
  std::thread serving([&server] { server.listen_after_bind(); });
  int sig = 0;
  sigwait(&stop_signals, &sig);
  while (!server.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  server.stop();
  serving.join();
  return 0;
}
