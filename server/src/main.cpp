#include "RocketsServer.h"

#include <Poco/Exception.h>
#include <Poco/Path.h>

#include <csignal>
#include <cstdlib>
#include <iostream>
#include <pthread.h>

int main(int argc, char** argv) {
    // Block the signals the server waits for before any thread starts, so every thread
    // inherits the mask and only the main thread's sigwait() receives them.
    sigset_t signals;
    sigemptyset(&signals);
    for (int signal : {SIGINT, SIGTERM, SIGQUIT, SIGHUP}) sigaddset(&signals, signal);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    // A client closing its socket mid-response must not kill the process.
    std::signal(SIGPIPE, SIG_IGN);
    try {
        rockets::server::RocketsServer server(Poco::Path::current());
        return server.launch(argc, argv);
    } catch (const Poco::Exception& e) {
        std::cerr << "rockets-server: internal error: " << e.displayText() << '\n';
    } catch (const std::exception& e) {
        std::cerr << "rockets-server: internal error: " << e.what() << '\n';
    }
    return 70;  // EX_SOFTWARE
}
