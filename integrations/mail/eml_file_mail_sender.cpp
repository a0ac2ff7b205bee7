#include "integrations/mail/eml_file_mail_sender.h"

#include <fcntl.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "service/base/crypto.h"

namespace optin {
namespace {

Status Failure(const std::string& what, const std::string& dir, int err) {
  return Status::Unavailable("cannot " + what + " in mail directory " + dir + ": " +
                             std::strerror(err));
}

Status WriteAll(int fd, const std::string& data) {
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Status::Unavailable(std::strerror(errno));
    done += static_cast<size_t>(n);
  }
  return Status::Ok();
}

}  // namespace

EmlFileMailSender::EmlFileMailSender(std::string dir) : dir_(std::move(dir)) {}

std::string EmlFileMailSender::FileName(const std::string& message_id) {
  std::string name;
  for (char c : message_id.substr(0, 200)) {
    bool keep =
        std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '@' || c == '-';
    name.push_back(keep ? c : '_');
  }
  if (name.empty() || name[0] == '.') name.insert(name.begin(), '_');
  return name + ".eml";
}

Status EmlFileMailSender::Send(const std::string& /*from*/, const std::string& /*to*/,
                               const std::string& message_id, const std::string& data) {
  std::error_code ec;
  std::filesystem::create_directories(dir_, ec);
  if (ec) return Failure("create the directory", dir_, ec.value());
  const std::string final_path = dir_ + "/" + FileName(message_id);
  const std::string temp_path = dir_ + "/.tmp-" + HexEncode(RandomBytes(8));
  int fd = open(temp_path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
  if (fd < 0) return Failure("create a file", dir_, errno);
  Status written = WriteAll(fd, data);
  int sync_errno = 0;
  if (written.ok() && fsync(fd) != 0) sync_errno = errno;
  int close_errno = close(fd) != 0 ? errno : 0;
  if (!written.ok() || sync_errno != 0 || close_errno != 0) {
    unlink(temp_path.c_str());
    if (!written.ok())
      return Status::Unavailable("cannot write a file in mail directory " + dir_ + ": " +
                                 written.message());
    return Failure("write a file", dir_, sync_errno != 0 ? sync_errno : close_errno);
  }
  if (rename(temp_path.c_str(), final_path.c_str()) != 0) {
    int err = errno;
    unlink(temp_path.c_str());
    return Failure("rename a file", dir_, err);
  }
  int dir_fd = open(dir_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd >= 0) {
    fsync(dir_fd);
    close(dir_fd);
  }
  return Status::Ok();
}

}  // namespace optin
