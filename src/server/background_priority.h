#pragma once

namespace cca::server {

// Lowers the calling thread's CPU priority to that of background work (nice +10), once per
// thread: live ingest and the refresher yield the cores to the threads that answer queries when
// both want them, so dashboards stay quick while a fleet's exports take every core. A thread at
// nice 0 gets about ten times the CPU of one at nice 10. Raising a thread's nice value needs no
// privilege, and Linux keeps it per thread.
void lower_this_threads_priority();

}  // namespace cca::server
