# Level 2: two calls of the next level.
module "left" {
  source = "../m3"
}

module "right" {
  source = "../m3"
}
